// Small browser-side helpers for the ReactPy interface. ReactPy renders on the server; these
// components cover what only the browser can do: the address bar and file uploads with progress.
// Each export is a function (node, props) called on every render with the latest props.

export function bind(node) {
  return {
    create: (type, props, children) => ({ type, props, children }),
    render: (element) => element.type(node, element.props || {}),
    unmount: () => {
      if (node._choraleCleanup) node._choraleCleanup();
      node.innerHTML = "";
    },
  };
}

// Keeps the address bar in step with the server-side route and reports back/forward navigation.
export function UrlSync(node, props) {
  node._props = props;
  if (!node._choraleInit) {
    node._choraleInit = true;
    const onPop = () => {
      const handler = node._props.onNavigate || node._props.on_navigate;
      if (handler) handler(location.pathname + location.search);
    };
    window.addEventListener("popstate", onPop);
    node._choraleCleanup = () => window.removeEventListener("popstate", onPop);
  }
  const wanted = props.path;
  if (wanted && location.pathname + location.search !== wanted) {
    history.pushState(null, "", wanted);
  }
  if (props.title) document.title = props.title;
  if (props.lang) document.documentElement.lang = props.lang;
}

// Writes a cookie the server reads on the next connection (language choice survives reloads).
export function CookieWriter(node, props) {
  if (props.name && props.value !== undefined && node._last !== props.value) {
    node._last = props.value;
    document.cookie = `${props.name}=${encodeURIComponent(props.value)}; path=/; max-age=31536000; SameSite=Lax`;
  }
}

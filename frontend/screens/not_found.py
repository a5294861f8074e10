from reactpy import component, html

from frontend.context import use_session


@component
def NotFoundScreen():
    session = use_session()
    return html.div({"class_name": "screen"}, html.h1(session.t("notfound.title")), html.p(session.t("notfound.body")))

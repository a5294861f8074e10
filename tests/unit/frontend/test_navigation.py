"""The router's next URL: a redirect must not undo a navigation the user made while it was decided."""

from __future__ import annotations

from frontend.context import next_url


def test_a_navigation_replaces_the_url_and_says_how():
    assert next_url(("/espace", False), "/mon-compte", False, None) == ("/mon-compte", False)
    assert next_url(("/espace", False), "/factures-emises", True, None) == ("/factures-emises", True)


def test_a_redirect_applies_while_the_user_is_still_where_it_was_decided():
    assert next_url(("/espace?suivant=x", False), "/factures-emises", True, "/espace") == ("/factures-emises", True)


def test_a_redirect_after_a_click_leaves_the_click_s_page():
    # the user clicked « Mon compte » while the landing was reading the policy: the landing's redirect comes
    # second and must not send them back to their workspace (a browser test lost its click this way)
    assert next_url(("/mon-compte", False), "/factures-emises", True, "/espace") == ("/mon-compte", False)

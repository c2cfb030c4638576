"""The phone's navigation menu opens without JavaScript (the toggler is a link to #nav), and
with it; the language switch stays on one line."""

import pytest

from tests.browser.personas import PHONE, t

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("javascript", [False, True], ids=["no-js", "js"])
def test_the_phone_menu_opens(browser, browser_context_args, live_server, javascript):
    context = browser.new_context(
        **browser_context_args, viewport=PHONE, is_mobile=True, java_script_enabled=javascript
    )
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/accounts/login/")
        catalogs = page.get_by_role("link", name=t("ja", "Catalogs"))
        assert not catalogs.is_visible()
        page.get_by_role("button", name=t("ja", "Toggle navigation")).click()
        catalogs.wait_for(state="visible")
        switch = page.locator("form.language-switch")
        select, button = switch.locator("select"), switch.locator("button")
        assert select.bounding_box()["y"] == pytest.approx(button.bounding_box()["y"], abs=8)
        assert button.bounding_box()["height"] < 40  # its label does not wrap
        if javascript:  # Bootstrap's collapse, and the URL keeps no #nav that would pin it open
            # Bootstrap ignores a toggle while the opening transition runs: wait for its end.
            page.locator(".navbar-collapse.show:not(.collapsing)").wait_for()
            page.get_by_role("button", name=t("ja", "Toggle navigation")).click()
            catalogs.wait_for(state="hidden")
            assert "#nav" not in page.url
    finally:
        context.close()


def used_fonts(page, selector: str) -> set[str]:
    """The fonts Chromium drew the element's text with (DevTools protocol)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    return {font["familyName"] for font in fonts}


def test_japanese_never_shows_as_boxes(page, live_server):
    """This machine has no Japanese font: the vendored Noto Sans JP draws the Japanese text
    (DejaVu Sans, the last resort, would draw boxes), headings and navigation included."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.wait_for_load_state("networkidle")
    page.evaluate("async () => { await document.fonts.ready; }")
    for selector in ("h1", ".navbar-nav .nav-link", "label[for=id_username]"):
        fonts = used_fonts(page, selector)
        assert "DejaVu Sans" not in fonts, (selector, fonts)
        assert "Noto Sans JP" in fonts or len(fonts) == 1, (selector, fonts)

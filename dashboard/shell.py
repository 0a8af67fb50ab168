"""The frame around every page: navigation, who is logged in, the language switch."""

from __future__ import annotations

import logging

import dash
from dash import Input, Output, dcc, html

from api.errors import BackboneError
from dashboard import context, i18n
from dashboard.context import N_, _
from dashboard.dash_internals import PAGES_CONTENT, PAGES_LOCATION
from dashboard.parts.components import href, role_label
from dashboard.session import PREFIX, csrf_token, may_open

logger = logging.getLogger(__name__)

ALERT = "shell-alert"  # where a failed callback says so

# (path, label, page key for access rules)
NAVIGATION = (
    ("/", N_("Overview"), ""),
    ("/indicator", N_("Indicators"), "indicators"),
    ("/entry", N_("Data entry"), "entry"),
    ("/upload", N_("Upload"), "upload"),
    ("/stories", N_("Stories"), "stories"),
    ("/quality", N_("Data quality"), "quality"),
    ("/completeness", N_("Completeness"), "completeness"),
    ("/audit", N_("Audit"), "audit"),
    ("/admin", N_("Administration"), "admin"),
)


def layout() -> html.Div:
    """The app's layout for this request's user and language; the page goes in the container."""
    principal, language = context.user(), context.language()
    links = [
        dcc.Link(_(label), href=href(path), className="nav-link", id=f"nav-{key or 'overview'}")
        for path, label, key in NAVIGATION
        if may_open(key, principal)
    ]
    if principal is None:
        account = [dcc.Link(_("Log in"), href=href("/login"), className="button", id="shell-login")]
    else:
        account = [
            html.Span(
                [
                    dcc.Link(
                        html.Strong(principal.full_name or principal.username, id="shell-user"),
                        href=href("/account"),
                        id="shell-account",
                        title=_("Your account and API tokens"),
                    ),
                    html.Span(f" · {principal.organisation} · {role_label(principal.role)}", id="shell-role"),
                ],
                className="who",
            ),
            html.Form(
                [
                    dcc.Input(type="hidden", name="csrf", value=csrf_token(context.request())),
                    html.Button(_("Log out"), type="submit", id="shell-logout", className="link-button"),
                ],
                method="post",
                action=PREFIX + "auth/logout",
                className="inline",
            ),
        ]
    languages = [
        html.A(
            code.upper(),
            href=f"{PREFIX}language/{code}",
            lang=code,
            title=i18n.NAMES[code],
            id=f"shell-lang-{code}",
            className="lang current" if code == language else "lang",
        )
        for code in i18n.LANGUAGES
    ]
    return html.Div(
        [
            html.Header(
                [
                    dcc.Link("Backbone", href=href("/"), className="brand"),
                    html.Nav(links, className="nav", **{"aria-label": _("Main")}),
                    html.Div(languages, className="languages", **{"aria-label": _("Language")}),
                    html.Div(account, className="account"),
                ],
                className="shell-header",
            ),
            html.Div(id=ALERT, role="alert", className="notice notice-error shell-alert", hidden=True),
            html.Main(dash.page_container, className="shell-main", lang=language),
        ],
        lang=language,
    )


def show_alert(error: Exception) -> list | None:
    """Dash's handler of a callback that raised: a message on the page, never a server error.

    A domain error (a code that does not exist, a value out of range, a busy database) says
    what it is; anything else is logged with its traceback and the page says so in general.
    """
    if isinstance(error, BackboneError):
        message = _("This could not be shown: {reason}", reason=error.message)
    else:
        logger.error("a dashboard callback failed", exc_info=error)
        message = _("Something went wrong on this page; it has been logged. Please try again.")
    dash.set_props(ALERT, {"children": message, "hidden": False})
    if any(output.get("id") == PAGES_CONTENT for output in _outputs()):
        # The page itself failed: an empty page under the message (Dash's router wants its title too).
        return [html.Div(className="page"), {"title": "Backbone"}]
    return None


def _outputs() -> list[dict]:
    found = dash.callback_context.outputs_list
    return [o for o in (found if isinstance(found, list) else [found]) if isinstance(o, dict)]


def register_alert(app: dash.Dash) -> None:
    """The alert goes away when another page is opened."""
    app.clientside_callback(
        "function (path) { return true; }",
        Output(ALERT, "hidden"),
        Input(PAGES_LOCATION, "pathname"),
        prevent_initial_call=True,
    )

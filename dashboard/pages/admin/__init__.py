"""The staff console's start: one line per kind of thing the staff look after, each linked to its page."""

from __future__ import annotations

from dataclasses import dataclass

import dash
from dash import Dash, html

from dashboard.context import N_, _
from dashboard.parts.components import guard, link


@dataclass(frozen=True)
class Section:
    """One kind the staff look after: its page under /dashboard/admin/, named and explained in a line."""

    key: str  # the address (/dashboard/admin/<key>) and the ids (admin-link-<key>)
    title: str  # N_-marked
    about: str  # N_-marked
    elsewhere: str | None = None  # a page outside /admin that does this

    @property
    def path(self) -> str:
        return self.elsewhere or f"/admin/{self.key}"


SECTIONS = (
    Section(
        "agenda",
        N_("Agenda and signatories"),
        N_("The common agenda's name, vision and problem, and who signed it."),
    ),
    Section("goals", N_("Goals"), N_("The goals of the agenda, in each language and in their order.")),
    Section(
        "indicators",
        N_("Indicators"),
        N_("What is measured towards each goal: unit, direction, periods, breakdowns, suppression, source."),
    ),
    Section("dimensions", N_("Dimensions"), N_("The breakdowns, such as social background, and their values.")),
    Section(
        "areas",
        N_("Areas"),
        N_("Countries, regions, municipalities and districts, each within its parent."),
    ),
    Section(
        "organisations",
        N_("Organisations"),
        N_("The members of the alliance and the backbone office; the signatories sign here."),
    ),
    Section(
        "assignments",
        N_("Assignments"),
        N_("Which organisation reports which indicator for which areas."),
    ),
    Section("targets", N_("Targets"), N_("Baselines and targets per indicator, and per area where they differ.")),
    Section(
        "users",
        N_("Users"),
        N_("Who may log in, in which role and for which organisation; invitation links and switching users off."),
    ),
    Section("boundaries", N_("Boundaries"), N_("The outlines of the areas for the maps, as GeoJSON.")),
    Section(
        "mappings",
        N_("Source mappings"),
        N_("How a publisher's statistics file (DUO, CBS, GENESIS) becomes observations, tried on a sample file."),
    ),
    Section(
        "periods",
        N_("Periods and locks"),
        N_("Approving the members' reports, and which periods are closed for changes: on the Completeness page."),
        elsewhere="/completeness",
    ),
)


def section_item(section: Section) -> html.Li:
    """A link to the section's page, with its line."""
    name = link(_(section.title), section.path, id=f"admin-link-{section.key}")
    return html.Li([html.Strong(name), html.Br(), html.Span(_(section.about), className="muted")])


def layout(**_query: str) -> html.Div:
    """The kinds the staff look after, each with a line saying what it is."""
    if (blocked := guard("admin")) is not None:
        return blocked
    return html.Div(
        [
            html.H1(_("Administration")),
            html.P(
                _("The alliance's set-up and who may use Backbone. Every change is recorded in the audit."),
                className="lead",
            ),
            html.Ul([section_item(s) for s in SECTIONS], className="admin-hub", id="admin-sections"),
        ],
        className="page",
    )


def register(app: Dash) -> None:
    """The page."""
    dash.register_page(__name__, path="/admin", title="Backbone · Administration", layout=layout)

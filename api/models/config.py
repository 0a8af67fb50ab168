"""What loading the alliance's set-up files did (or would do)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from api.models.user import InvitationLink


class KindCount(BaseModel):
    created: int = 0
    updated: int = 0
    unchanged: int = 0


class UserInvitation(InvitationLink):
    username: str


class ConfigLoaded(BaseModel):
    dry_run: bool = Field(description="true: checked and counted only, nothing written")
    files: list[str] = Field(description="the files read; others in the zip or directory are left alone")
    kinds: dict[str, KindCount] = Field(
        description="per kind (file name without .csv): rows created, updated, unchanged"
    )
    invitations: list[UserInvitation] = Field(
        description="links for the new users to set their passwords (none in a dry run: nothing is made)"
    )

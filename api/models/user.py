"""Users, their roles and their API tokens (stored hashed)."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, StringConstraints
from pydantic import Field as PydanticField
from sqlalchemy import Index, String
from sqlmodel import Field, SQLModel

from api.models.common import Role, UTCDateTime, utcnow

USERNAME = r"^[a-z0-9][a-z0-9_.@-]*$"
Language = Literal["nl", "de", "en"]


class User(SQLModel, table=True):
    __tablename__ = "app_user"

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=80, unique=True, index=True)
    full_name: str = Field(default="", max_length=200)
    role: Role = Field(sa_type=String(10))
    organisation_id: int = Field(foreign_key="organisation.id")
    password_hash: str = Field(max_length=200)
    is_active: bool = True
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    email: str | None = Field(default=None, max_length=254)
    language: str = Field(default="en", max_length=2, sa_column_kwargs={"server_default": "en"})


class Invitation(SQLModel, table=True):
    """A link that lets one user set their own password: single use, until it expires or a newer one replaces it."""

    __tablename__ = "invitation"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id", index=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    invited_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    ended_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # used, or replaced by a newer link


class UserPublic(BaseModel):
    username: str
    full_name: str
    role: Role
    organisation: str


class ApiToken(SQLModel, table=True):
    __tablename__ = "api_token"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id", index=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    name: str = Field(default="", max_length=100, sa_column_kwargs={"server_default": ""})
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class TokenResponse(BaseModel):
    access_token: str
    token_type: str = "bearer"  # noqa: S105 - the OAuth2 token type, not a secret
    expires_at: datetime


class PasswordChange(BaseModel):
    current_password: str = PydanticField(max_length=1000)
    new_password: str = PydanticField(max_length=1000, description="12 or more characters, not a common password")


class TokenCreate(BaseModel):
    """A named token for a script or another system; it is shown once."""

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)] = PydanticField(
        description="what the token is for, e.g. 'nightly export'"
    )
    days: int = PydanticField(default=90, ge=1, le=365, description="days until it expires")


class TokenPublic(BaseModel):
    """One of the caller's tokens: never the token itself or its hash."""

    id: int
    name: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    active: bool = PydanticField(description="neither revoked nor expired")
    current: bool = PydanticField(description="the token this request was sent with")


class TokenCreated(TokenPublic):
    access_token: str = PydanticField(description="the token itself: shown only now, keep it safe")
    token_type: str = "bearer"  # noqa: S105 - the OAuth2 token type, not a secret


DisplayName = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
Email = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=254, pattern=r"^$|^[^@\s]+@[^@\s]+\.[^@\s]+$")
]


class UserAccount(BaseModel):
    """A user as the staff see them: never a password, a hash or a token."""

    username: str
    display_name: str
    email: str | None
    language: Language = PydanticField(description="the language of the mails Backbone sends them")
    role: Role
    organisation: str
    active: bool
    last_login: datetime | None = PydanticField(description="when they last logged in (API or dashboard)")
    created: datetime


class UserUpdate(BaseModel):
    """What the staff may change about a user; fields left out stay as they are."""

    display_name: DisplayName | None = None
    email: Email | None = PydanticField(default=None, description="an address, or empty to remove it")
    language: Language | None = None
    role: Role | None = None
    organisation: str | None = PydanticField(default=None, max_length=50, description="an organisation's code")
    active: bool | None = PydanticField(
        default=None, description="false: the user can no longer log in, and their sessions and tokens end at once"
    )


class UserCreate(BaseModel):
    """A new user; they choose their own password through the invitation link they are given."""

    username: Annotated[
        str, StringConstraints(strip_whitespace=True, to_lower=True, min_length=1, max_length=80, pattern=USERNAME)
    ]
    display_name: DisplayName = ""
    email: Email | None = None
    language: Language = PydanticField(default="en", description="the language of the invitation mail")
    role: Role
    organisation: str = PydanticField(max_length=50, description="an organisation's code")


class InvitationLink(BaseModel):
    """A link to hand to the person (or that was mailed to them): shown only now, single use."""

    url: str
    token: str
    expires_at: datetime
    mailed_to: str | None = PydanticField(
        default=None, description="the address the link was also mailed to; none when mail is not set up or failed"
    )


class UserInvited(UserAccount):
    invitation: InvitationLink


class InvitationFor(BaseModel):
    """Whom an invitation link is for."""

    username: str
    display_name: str
    organisation: str
    expires_at: datetime


class InvitationAccept(BaseModel):
    password: str = PydanticField(max_length=1000, description="12 or more characters, not a common password")


class LoginEvent(SQLModel, table=True):
    """A login attempt or failure, counted by every process that serves the alliance (``services/accounts/throttle``).

    ``key`` is a hash of what was counted (a client address, with a username for failures): the table names no one.
    Rows older than the longest window are deleted as new ones come.
    """

    __tablename__ = "login_event"
    __table_args__ = (Index("ix_login_event_kind_key_at", "kind", "key", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=10)  # "attempt" (per client) or "failure" (per client and username)
    key: str = Field(max_length=64)
    at: float  # seconds since the epoch: every process and host compares the same clock

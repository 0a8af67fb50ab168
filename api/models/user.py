"""Users, their roles and their API tokens (stored hashed)."""

from datetime import datetime

from pydantic import BaseModel
from sqlalchemy import String
from sqlmodel import Field, SQLModel

from api.models.common import Role, UTCDateTime, utcnow

USERNAME = r"^[a-z0-9][a-z0-9_.@-]*$"


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
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class TokenResponse(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_at: datetime

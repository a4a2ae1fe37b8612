"""What members tell each other about themselves: profile, tags (topics, offers, needs), field privacy."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from models.base import utcnow


class Visibility(StrEnum):
    ALL = 'all'  # every signed-in member
    ORG = 'org'  # members of my own administration
    NONE = 'none'  # nobody but me


class TagKind(StrEnum):
    TOPIC = 'topic'  # what I work on
    OFFER = 'offer'  # "Ich kann helfen bei"
    NEED = 'need'  # "Ich suche"


class MemberProfile(SQLModel, table=True):
    __tablename__ = 'member_profile'

    user_id: int = Field(primary_key=True, foreign_key='user.id', ondelete='CASCADE')
    pronouns: str = Field(default='', max_length=40)
    department: str = Field(default='', max_length=120, index=True)
    position: str = Field(default='', max_length=120)
    location: str = Field(default='', max_length=100)
    bio: str = Field(default='', max_length=4000)
    phone: str = Field(default='', max_length=40)
    other_contact: str = Field(default='', max_length=300)
    email_visibility: str = Field(default=Visibility.ORG, max_length=8)
    phone_visibility: str = Field(default=Visibility.NONE, max_length=8)
    location_visibility: str = Field(default=Visibility.ALL, max_length=8)
    avatar: str = Field(default='', max_length=64)
    updated_at: datetime = Field(default_factory=utcnow)


class Tag(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=50)
    # Folded (lower case, umlauts spelled out, single spaces): "E-Akte", "e-akte " and "E-akte" are one tag.
    key: str = Field(max_length=120, unique=True, index=True)


class MemberTag(SQLModel, table=True):
    __tablename__ = 'member_tag'
    __table_args__ = (Index('ix_member_tag_tag_kind', 'tag_id', 'kind'),)

    user_id: int = Field(primary_key=True, foreign_key='user.id', ondelete='CASCADE')
    kind: str = Field(primary_key=True, max_length=8)
    tag_id: int = Field(primary_key=True, foreign_key='tag.id', ondelete='CASCADE')

"""The administrations (organisations) members belong to."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from models.base import utcnow

ORGANIZATION_KINDS = ('Kommune', 'Kreis', 'Land', 'Bund', 'Verband', 'Hochschule', 'Sonstige')
ORGANIZATION_LEVELS = ('kommunal', 'regional', 'Land', 'Bund', 'sonstige')


class Organization(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    # Lower-cased name: "Stadt Essen" and "stadt essen" are one administration.
    name_key: str = Field(max_length=200, unique=True, index=True)
    kind: str = Field(default='Sonstige', max_length=20, index=True)
    level: str = Field(default='sonstige', max_length=20, index=True)
    city: str = Field(default='', max_length=100, index=True)
    website: str = Field(default='', max_length=300)
    logo: str = Field(default='', max_length=64)  # file name in the data folder's avatars/
    created_at: datetime = Field(default_factory=utcnow)

"""Member profiles, tags, the directory search with facets, and "who can help"."""

import re
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Select, delete, func, select, text
from sqlmodel import Session

from models.base import utcnow
from models.organization import Organization
from models.profile import MemberProfile, MemberTag, Tag, TagKind, Visibility
from models.user import Status, User
from services import audit, bus, images, markup, rate_limits, search
from services import organizations as orgs
from services.accounts import clean_name
from services.errors import Invalid, NotAllowed, NotFound
from services.permissions import require_active

LIMITS = {'pronouns': 40, 'department': 120, 'position': 120, 'location': 100, 'bio': 4000, 'phone': 40,
          'other_contact': 300}
MAX_TAGS = 20
MAX_TAG_LENGTH = 50
PAGE_SIZE = 20
SORTS = ('relevance', 'name', 'newest', 'active')
# Above this many matches, relevance ranks the newest RANK_CANDIDATES of them (see search.top_matches).
RANK_CANDIDATES = 5000
_PHONE = re.compile(r'^[0-9+()/ .-]*$')

U = User.__table__
O = Organization.__table__  # noqa: E741 - table aliases read like the SQL they build
P = MemberProfile.__table__
MT = MemberTag.__table__
T = Tag.__table__


# ---------------------------------------------------------------- read models


@dataclass(frozen=True)
class TagRef:
    name: str
    key: str


@dataclass(frozen=True)
class MemberCard:
    """A member in a list: enough to recognise them, nothing private."""

    id: int
    name: str
    organization: str
    position: str
    avatar: str
    tags: tuple[TagRef, ...] = ()
    matched: tuple[str, ...] = ()  # tag keys that matched the search or the viewer's needs

    @property
    def initials(self) -> str:
        return initials(self.name)


@dataclass(frozen=True)
class MemberView:
    """A profile as one viewer may see it: hidden fields are None."""

    id: int
    name: str
    pronouns: str
    organization_id: int | None
    organization: str
    department: str
    position: str
    bio_html: str
    other_contact: str
    avatar: str
    topics: tuple[TagRef, ...]
    offers: tuple[TagRef, ...]
    needs: tuple[TagRef, ...]
    joined_at: datetime
    is_self: bool
    email: str | None
    phone: str | None
    location: str | None


@dataclass(frozen=True)
class OwnProfile:
    """Everything I can edit about myself."""

    name: str
    organization: str
    pronouns: str
    department: str
    position: str
    location: str
    bio: str
    phone: str
    other_contact: str
    email_visibility: str
    phone_visibility: str
    location_visibility: str
    avatar: str
    topics: tuple[str, ...]
    offers: tuple[str, ...]
    needs: tuple[str, ...]


@dataclass(frozen=True)
class Filters:
    q: str = ''
    org: int | None = None
    kind: str = ''
    level: str = ''
    department: str = ''
    topic: str = ''  # tag key
    city: str = ''

    @property
    def empty(self) -> bool:
        return not (self.q.strip() or self.org or self.kind or self.level or self.department or self.topic or
                    self.city)


@dataclass(frozen=True)
class MemberPage:
    items: list[MemberCard]
    total: int
    page: int
    pages: int
    ranked_among: int | None = None  # set when only the newest N of very many matches were ranked by relevance


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int


@dataclass(frozen=True)
class Facets:
    organizations: list[FacetValue] = field(default_factory=list)
    kinds: list[FacetValue] = field(default_factory=list)
    levels: list[FacetValue] = field(default_factory=list)
    departments: list[FacetValue] = field(default_factory=list)
    topics: list[FacetValue] = field(default_factory=list)
    cities: list[FacetValue] = field(default_factory=list)


def initials(name: str) -> str:
    parts = [p for p in re.split(r'[\s-]+', name.strip()) if p and p[0].isalnum()]
    return ''.join(p[0] for p in (parts[:1] + parts[-1:] if len(parts) > 1 else parts)).upper() or '?'


# ---------------------------------------------------------------- tags


def normalize_tag(raw: str) -> tuple[str, str]:
    """(display name, key): spaces collapsed; the key also folds case and umlauts."""
    name = ' '.join((raw or '').split()).strip(' ,;#')
    return name, search.fold(name)


def clean_tags(values: list[str] | tuple[str, ...], field_name: str) -> list[str]:
    """Unique (by key) tag names in the given order; Invalid when too many or too long."""
    seen: dict[str, str] = {}
    for raw in values or ():
        name, key = normalize_tag(str(raw))
        if not key:
            continue
        # The key is checked too: folding spells out ß and umlauts, and a few characters expand even more.
        if len(name) > MAX_TAG_LENGTH or len(key) > 2 * MAX_TAG_LENGTH:
            raise Invalid(field_name, 'Ein Schlagwort darf höchstens {n} Zeichen haben.', n=MAX_TAG_LENGTH)
        seen.setdefault(key, name)
    if len(seen) > MAX_TAGS:
        raise Invalid(field_name, 'Höchstens {n} Schlagwörter.', n=MAX_TAGS)
    return list(seen.values())


def _tag_ids(session: Session, names: list[str]) -> list[int]:
    """Ids of these tags, adding the new ones (their first spelling becomes the display name)."""
    if not names:
        return []
    by_key = {search.fold(n): n for n in names}
    rows = session.execute(select(T.c.key, T.c.id).where(T.c.key.in_(list(by_key)))).all()
    ids = {k: i for k, i in rows}
    for key, name in by_key.items():
        if key not in ids:
            tag = Tag(name=name, key=key)
            session.add(tag)
            session.flush()
            ids[key] = tag.id  # type: ignore[assignment]
    return [ids[k] for k in by_key]


def suggest_tags(session: Session, *, prefix: str, limit: int = 10) -> list[str]:
    """Existing tags starting with what was typed, most used first (for suggestions while typing)."""
    key = search.fold(prefix)
    if not key:
        return []
    usage = func.count(MT.c.user_id)
    rows = session.execute(
        select(T.c.name).select_from(T.outerjoin(MT, MT.c.tag_id == T.c.id))
        .where(T.c.key.like(key.replace('%', '').replace('_', '') + '%'))
        .group_by(T.c.id).order_by(usage.desc(), T.c.key).limit(min(limit, 50))
    ).all()
    return [r[0] for r in rows]


def popular_tags(session: Session, *, limit: int = 500) -> list[str]:
    """The most used tags, offered as suggestions while typing (the browser filters them)."""
    usage = func.count(MT.c.user_id)
    rows = session.execute(select(T.c.name).select_from(T.join(MT, MT.c.tag_id == T.c.id)).group_by(T.c.id)
                           .order_by(usage.desc(), T.c.key).limit(min(limit, 2000))).all()
    return [r[0] for r in rows]


def _tags_of(session: Session, user_ids: list[int]) -> dict[int, dict[str, list[TagRef]]]:
    result: dict[int, dict[str, list[TagRef]]] = defaultdict(lambda: defaultdict(list))
    if not user_ids:
        return result
    rows = session.execute(
        select(MT.c.user_id, MT.c.kind, T.c.name, T.c.key).join(T, T.c.id == MT.c.tag_id)
        .where(MT.c.user_id.in_(user_ids)).order_by(T.c.key)
    ).all()
    for user_id, kind, name, key in rows:
        result[user_id][kind].append(TagRef(name, key))
    return result


# ---------------------------------------------------------------- editing my profile


def _profile(session: Session, user_id: int) -> MemberProfile:
    return session.get(MemberProfile, user_id) or MemberProfile(user_id=user_id)


def get_own_profile(session: Session, *, actor: Any) -> OwnProfile:
    require_active(actor)
    user = session.get(User, actor.id)
    if user is None:
        raise NotFound()
    profile = _profile(session, actor.id)
    org = session.get(Organization, user.organization_id) if user.organization_id else None
    tags = _tags_of(session, [actor.id])[actor.id]
    return OwnProfile(
        name=user.name, organization=org.name if org else '', pronouns=profile.pronouns,
        department=profile.department, position=profile.position, location=profile.location, bio=profile.bio,
        phone=profile.phone, other_contact=profile.other_contact, email_visibility=profile.email_visibility,
        phone_visibility=profile.phone_visibility, location_visibility=profile.location_visibility,
        avatar=profile.avatar, topics=tuple(t.name for t in tags[TagKind.TOPIC]),
        offers=tuple(t.name for t in tags[TagKind.OFFER]), needs=tuple(t.name for t in tags[TagKind.NEED]),
    )


def _require_self(actor: Any, user_id: int) -> None:
    """Profiles are edited by their owner only: another member's id is refused, whoever asks."""
    require_active(actor)
    if actor.id != user_id:
        raise NotAllowed('Sie können nur Ihr eigenes Profil bearbeiten.')


def _clean_text(value: Any, field_name: str, *, multiline: bool = False) -> str:
    text_value = str(value or '').strip()
    if not multiline:
        text_value = ' '.join(text_value.split())
    limit = LIMITS[field_name]
    if len(text_value) > limit:
        raise Invalid(field_name, 'Höchstens {n} Zeichen.', n=limit)
    return text_value


def update_profile(session: Session, *, actor: Any, user_id: int, name: str, organization: str, pronouns: str = '',
                   department: str = '', position: str = '', location: str = '', bio: str = '', phone: str = '',
                   other_contact: str = '', email_visibility: str = Visibility.ORG,
                   phone_visibility: str = Visibility.NONE, location_visibility: str = Visibility.ALL,
                   topics: list[str] | tuple[str, ...] = (), offers: list[str] | tuple[str, ...] = (),
                   needs: list[str] | tuple[str, ...] = ()) -> None:
    """Save my profile: every field validated first, then one transaction (profile, tags, index, audit)."""
    _require_self(actor, user_id)
    clean: dict[str, Any] = {'name': clean_name(name)}
    for key, value in (('pronouns', pronouns), ('department', department), ('position', position),
                       ('location', location), ('phone', phone), ('other_contact', other_contact)):
        clean[key] = _clean_text(value, key)
    clean['bio'] = _clean_text(bio, 'bio', multiline=True)
    if not _PHONE.match(clean['phone']):
        raise Invalid('phone', 'Bitte nur Ziffern, Leerzeichen und + ( ) / - verwenden.')
    for key, value in (('email_visibility', email_visibility), ('phone_visibility', phone_visibility),
                       ('location_visibility', location_visibility)):
        if value not in tuple(Visibility):
            raise Invalid(key, 'Unbekannte Sichtbarkeit.')
        clean[key] = value
    tag_lists = {TagKind.TOPIC: clean_tags(topics, 'topics'), TagKind.OFFER: clean_tags(offers, 'offers'),
                 TagKind.NEED: clean_tags(needs, 'needs')}

    user = session.get(User, user_id)
    if user is None:
        raise NotFound()
    org = orgs.find_or_add_organization(session, organization)
    user.name = clean.pop('name')
    user.sort_name = search.sort_key(user.name)
    user.organization_id = org.id
    session.add(user)
    profile = _profile(session, user_id)
    for key, value in clean.items():
        setattr(profile, key, value)
    profile.updated_at = utcnow()
    session.add(profile)
    session.execute(delete(MT).where(MT.c.user_id == user_id))
    for kind, names in tag_lists.items():
        for tag_id in _tag_ids(session, names):
            session.add(MemberTag(user_id=user_id, kind=kind, tag_id=tag_id))
    session.flush()
    reindex_member(session, user_id)
    audit.record(session, 'profile.updated', actor_id=actor.id, target_type='user', target_id=user_id)
    session.commit()
    bus.publish('member.updated', user_id=user_id)


def set_avatar(session: Session, *, actor: Any, user_id: int, data: bytes) -> str:
    """Check, re-encode and store a new avatar (slow: call it off the event loop); returns the file name."""
    _require_self(actor, user_id)
    rate_limits.check_uploads(session, actor, 1)  # before Pillow spends any time on it
    name = images.save_avatar(data)  # before touching the database: no transaction waits for Pillow
    profile = _profile(session, user_id)
    old = profile.avatar
    profile.avatar = name
    profile.updated_at = utcnow()
    session.add(profile)
    audit.record(session, 'profile.avatar_changed', actor_id=actor.id, target_type='user', target_id=user_id)
    session.commit()
    if old:
        images.delete_avatar(old)
    bus.publish('member.updated', user_id=user_id)
    return name


def remove_avatar(session: Session, *, actor: Any, user_id: int) -> None:
    _require_self(actor, user_id)
    profile = session.get(MemberProfile, user_id)
    if profile is None or not profile.avatar:
        return
    old, profile.avatar = profile.avatar, ''
    session.add(profile)
    session.commit()
    images.delete_avatar(old)
    bus.publish('member.updated', user_id=user_id)


def index_text(session: Session, user_id: int) -> dict[str, str]:
    """What the directory search knows about a member; a location only when everyone may see it."""
    row = session.execute(
        select(U.c.name, O.c.name, O.c.city, P.c.position, P.c.department, P.c.bio, P.c.location,
               P.c.location_visibility)
        .select_from(U.outerjoin(O, O.c.id == U.c.organization_id).outerjoin(P, P.c.user_id == U.c.id))
        .where(U.c.id == user_id)
    ).one()
    tags = _tags_of(session, [user_id])[user_id]
    tag_text = ' '.join(t.name for kind in (TagKind.TOPIC, TagKind.OFFER, TagKind.NEED) for t in tags[kind])
    location = row[6] if row[7] == Visibility.ALL else ''
    return {'name': row[0], 'organization': f'{row[1] or ""} {row[2] or ""}', 'position': row[3] or '',
            'department': row[4] or '', 'bio': row[5] or '', 'tags': tag_text, 'location': location or ''}


def reindex_member(session: Session, user_id: int) -> None:
    """Bring a member's index entry up to date. Only active members are in the index, so that a search
    can count and rank inside the index alone."""
    status = session.execute(select(U.c.status).where(U.c.id == user_id)).scalar_one_or_none()
    if status == Status.ACTIVE:
        search.index_member(session, user_id, index_text(session, user_id))
    else:
        search.remove_member(session, user_id)


# ---------------------------------------------------------------- viewing a profile


def _visible(visibility: str, *, is_self: bool, same_org: bool) -> bool:
    return is_self or visibility == Visibility.ALL or (visibility == Visibility.ORG and same_org)


def get_member(session: Session, *, viewer: Any, member_id: int) -> MemberView:
    """A member's profile as the viewer may see it (e-mail, phone and location by the member's choice)."""
    require_active(viewer)
    user = session.get(User, member_id)
    if user is None or (user.status != Status.ACTIVE and user.id != viewer.id):
        raise NotFound('Dieses Mitglied gibt es nicht.')
    profile = _profile(session, member_id)
    org = session.get(Organization, user.organization_id) if user.organization_id else None
    is_self = viewer.id == member_id
    same_org = user.organization_id is not None and user.organization_id == getattr(viewer, 'organization_id', None)
    tags = _tags_of(session, [member_id])[member_id]
    return MemberView(
        id=member_id, name=user.name, pronouns=profile.pronouns, organization_id=user.organization_id,
        organization=org.name if org else '', department=profile.department, position=profile.position,
        bio_html=markup.render_markdown(profile.bio), other_contact=profile.other_contact, avatar=profile.avatar,
        topics=tuple(tags[TagKind.TOPIC]), offers=tuple(tags[TagKind.OFFER]), needs=tuple(tags[TagKind.NEED]),
        joined_at=user.created_at, is_self=is_self,
        email=user.email if _visible(profile.email_visibility, is_self=is_self, same_org=same_org) else None,
        phone=(profile.phone or None) if _visible(profile.phone_visibility, is_self=is_self, same_org=same_org)
        else None,
        location=(profile.location or None) if _visible(profile.location_visibility, is_self=is_self,
                                                        same_org=same_org) else None,
    )


# ---------------------------------------------------------------- the directory


def _filtered(session: Session, filters: Filters, *, columns: list[Any]) -> tuple[Select, str | None]:
    """SELECT columns FROM active members matching the filters; also the text query (None: no text search)."""
    dialect = session.get_bind().dialect.name
    match = search.match_expression(filters.q, dialect)
    joined = U.outerjoin(O, O.c.id == U.c.organization_id)
    if filters.department:
        joined = joined.join(P, P.c.user_id == U.c.id)
    query = select(*columns).select_from(joined).where(U.c.status == Status.ACTIVE)
    if match:
        query = query.where(U.c.id.in_(text(search.matching_ids(dialect))))
    if filters.org:
        query = query.where(U.c.organization_id == filters.org)
    if filters.kind:
        query = query.where(O.c.kind == filters.kind)
    if filters.level:
        query = query.where(O.c.level == filters.level)
    if filters.city:
        query = query.where(O.c.city == filters.city)
    if filters.department:
        query = query.where(P.c.department == filters.department)
    if filters.topic:
        topic_members = select(MT.c.user_id).join(T, T.c.id == MT.c.tag_id).where(
            T.c.key == filters.topic, MT.c.kind == TagKind.TOPIC)
        query = query.where(U.c.id.in_(topic_members))
    return query, match


def _latest_first(column: Any, dialect: str) -> Any:
    """Newest first, never-seen last: SQLite puts NULLs last in descending order by itself (and can then use the
    index); PostgreSQL needs to be told."""
    return column.desc().nulls_last() if dialect == 'postgresql' else column.desc()


def _only_text(filters: Filters) -> bool:
    return not (filters.org or filters.kind or filters.level or filters.department or filters.topic or filters.city)


def _params(match: str | None) -> dict[str, str]:
    return {'match': match} if match else {}


def search_members(session: Session, *, viewer: Any, filters: Filters, sort: str = 'relevance', page: int = 1,
                   page_size: int = PAGE_SIZE) -> MemberPage:
    """One page of active members matching the search text and facet filters, with the total count."""
    require_active(viewer)
    page_size = max(1, min(page_size, 100))
    page = max(1, page)
    sort = sort if sort in SORTS else 'relevance'
    dialect = session.get_bind().dialect.name
    match = search.match_expression(filters.q, dialect)
    text_only = match is not None and _only_text(filters)
    if text_only:
        # The index holds exactly the active members: count inside it, without touching the user table.
        total = session.execute(text(search.count_matches(dialect)), {'match': match}).scalar_one()
    else:
        count_query, _ = _filtered(session, filters, columns=[func.count()])
        total = session.execute(count_query, _params(match)).scalar_one()
    pages = max(1, -(-total // page_size))
    page = min(page, pages)
    if total == 0:
        return MemberPage([], 0, 1, 1)

    offset = (page - 1) * page_size
    ranked_among = None
    if text_only and sort == 'relevance':
        capped = total > RANK_CANDIDATES and offset + page_size <= RANK_CANDIDATES
        ranked_among = RANK_CANDIDATES if capped else None
        ranked = session.execute(text(search.top_matches(dialect, candidates=capped)), {
            'match': match, 'limit': page_size, 'offset': offset, 'candidates': RANK_CANDIDATES}).scalars().all()
        found = {r[0]: r for r in session.execute(
            select(U.c.id, U.c.name, O.c.name, U.c.sort_name).select_from(U.outerjoin(O, O.c.id == U.c.organization_id))
            .where(U.c.id.in_(ranked))).all()}
        rows = [found[i] for i in ranked if i in found]
    else:
        query, _ = _filtered(session, filters, columns=[U.c.id, U.c.name, O.c.name, U.c.sort_name])
        if match and sort == 'relevance':
            # Rank inside the full-text index (bm25 / ts_rank_cd with weights), then join the page's rows.
            ranked_sql = text(f'({search.ranked_ids(dialect)}) AS ranked')
            query = query.join(ranked_sql, text('ranked.id = "user".id')).order_by(text('ranked.score'), U.c.sort_name)
        else:
            # An indexed column and the id (which every index carries): the database walks the index instead of
            # sorting every member.
            order = {'newest': [U.c.created_at.desc(), U.c.id.desc()],
                     'active': [_latest_first(U.c.last_seen_at, dialect), U.c.id.desc()]}.get(sort, [U.c.sort_name,
                                                                                                      U.c.id])
            query = query.order_by(*order)
        rows = session.execute(query.limit(page_size).offset(offset), _params(match)).all()
    ids = [r[0] for r in rows]
    profile_rows = session.execute(select(P.c.user_id, P.c.position, P.c.avatar).where(P.c.user_id.in_(ids))).all()
    details = {r[0]: r[1] for r in profile_rows}
    avatars = {r[0]: r[2] for r in profile_rows}
    tags = _tags_of(session, ids)
    words = search.terms(filters.q)
    items = []
    for user_id, name, org_name, _ in rows:
        member_tags = [t for kind in (TagKind.TOPIC, TagKind.OFFER, TagKind.NEED) for t in tags[user_id][kind]]
        matched = tuple(dict.fromkeys(t.key for t in member_tags if t.key == filters.topic or any(
            part.startswith(w) for w in words for part in re.split(r'\W+', t.key))))
        ordered = sorted(dict((t.key, t) for t in member_tags).values(), key=lambda t: t.key not in matched)
        items.append(MemberCard(user_id, name, org_name or '', details.get(user_id) or '', avatars.get(user_id) or '',
                                tuple(ordered[:6]), matched))
    return MemberPage(items, total, page, pages, ranked_among)


# Counts for the whole network (the directory's first view) change slowly; recounting 100,000 members on every visit
# would not. Kept per process for FACET_CACHE_SECONDS.
FACET_CACHE_SECONDS = 60.0
_facet_cache: dict[tuple[str, int], tuple[float, Facets]] = {}


def forget_cached_facets() -> None:
    _facet_cache.clear()


def member_facets(session: Session, *, viewer: Any, filters: Filters, limit: int = 15) -> Facets:
    """Counts per organisation, kind, level, department, topic and city within the current result.

    Slow for broad searches in large networks (every hit is counted): pages load it off the event loop.
    """
    require_active(viewer)
    dialect = session.get_bind().dialect.name
    match = search.match_expression(filters.q, dialect)
    if filters.empty:
        key = (f'{id(session.get_bind())}:{session.get_bind().url}', limit)
        cached = _facet_cache.get(key)
        if cached and time.monotonic() - cached[0] < FACET_CACHE_SECONDS:
            return cached[1]
        facets = _count_facets(session, None, {}, limit)
        _facet_cache[key] = (time.monotonic(), facets)
        return facets
    if match is not None and _only_text(filters):
        ids: Any = text(search.matching_ids(dialect))  # the index holds active members only
    else:
        ids = _filtered(session, filters, columns=[U.c.id])[0]
    return _count_facets(session, ids, _params(match), limit)


def _count_facets(session: Session, ids: Any, params: dict[str, str], limit: int) -> Facets:
    """Three grouped passes over the hits (organisation, department, topic); kind, level and city follow from the
    organisations in Python. `ids` selects the hits; None means every active member."""
    count = func.count().label('n')
    if ids is None:
        ids = select(U.c.id).where(U.c.status == Status.ACTIVE)
        org_clause = U.c.status == Status.ACTIVE
    else:
        org_clause = U.c.id.in_(ids)
    per_org = session.execute(select(U.c.organization_id, count).where(org_clause, U.c.organization_id.is_not(None))
                              .group_by(U.c.organization_id), params).all()
    org_info = {r[0]: r for r in session.execute(
        select(O.c.id, O.c.name, O.c.kind, O.c.level, O.c.city).where(O.c.id.in_([r[0] for r in per_org]))).all()}
    totals: dict[str, dict[str, int]] = {'kind': defaultdict(int), 'level': defaultdict(int), 'city': defaultdict(int)}
    organizations = []
    for org_id, n in per_org:
        _, name, kind, level, city = org_info[org_id]
        organizations.append(FacetValue(str(org_id), name, n))
        for facet, value in (('kind', kind), ('level', level), ('city', city)):
            if value:
                totals[facet][value] += n

    def top(values: list[FacetValue]) -> list[FacetValue]:
        return sorted(values, key=lambda f: (-f.count, f.label))[:limit]

    def ranked(facet: str) -> list[FacetValue]:
        return top([FacetValue(v, v, n) for v, n in totals[facet].items()])

    departments = session.execute(
        select(P.c.department, count).where(P.c.user_id.in_(ids), P.c.department != '')
        .group_by(P.c.department).order_by(count.desc(), P.c.department).limit(limit), params).all()
    topics = session.execute(
        select(T.c.key, T.c.name, count).select_from(MT.join(T, T.c.id == MT.c.tag_id))
        .where(MT.c.kind == TagKind.TOPIC, MT.c.user_id.in_(ids))
        .group_by(T.c.key, T.c.name).order_by(count.desc(), T.c.name).limit(limit), params).all()
    return Facets(
        organizations=top(organizations), kinds=ranked('kind'), levels=ranked('level'), cities=ranked('city'),
        departments=[FacetValue(d, d, n) for d, n in departments],
        topics=[FacetValue(k, name, n) for k, name, n in topics],
    )


def _cards(session: Session, ids: list[int], matched: dict[int, tuple[str, ...]] | None = None,
           tags: dict[int, dict[str, list[TagRef]]] | None = None) -> list[MemberCard]:
    """`tags`: the members' tags when the caller has read them already (_tags_of)."""
    if not ids:
        return []
    rows = {r[0]: r for r in session.execute(
        select(U.c.id, U.c.name, O.c.name, P.c.position, P.c.avatar)
        .select_from(U.outerjoin(O, O.c.id == U.c.organization_id).outerjoin(P, P.c.user_id == U.c.id))
        .where(U.c.id.in_(ids))
    ).all()}
    if tags is None:
        tags = _tags_of(session, ids)
    cards = []
    for user_id in ids:
        _, name, org_name, position, avatar = rows[user_id]
        keys = (matched or {}).get(user_id, ())
        offers = sorted(tags[user_id][TagKind.OFFER], key=lambda t: t.key not in keys)
        cards.append(MemberCard(user_id, name, org_name or '', position or '', avatar or '', tuple(offers[:6]), keys))
    return cards


def recent_members(session: Session, *, viewer: Any, limit: int = 8) -> list[MemberCard]:
    """Who joined recently (to welcome them)."""
    require_active(viewer)
    ids = [r[0] for r in session.execute(
        select(U.c.id).where(U.c.status == Status.ACTIVE).order_by(U.c.created_at.desc(), U.c.id.desc())
        .limit(min(limit, 50))).all()]
    return _cards(session, ids)


def _helpers(session: Session, viewer: Any, tag_ids: list[int], limit: int) -> list[MemberCard]:
    """Active members of other administrations whose offers match these tags: most matches, then most recent."""
    if not tag_ids:
        return []
    matches = func.count(MT.c.tag_id).label('matches')
    query = (
        select(U.c.id, matches).select_from(MT.join(U, U.c.id == MT.c.user_id))
        .where(MT.c.kind == TagKind.OFFER, MT.c.tag_id.in_(tag_ids), U.c.status == Status.ACTIVE, U.c.id != viewer.id)
        .group_by(U.c.id).order_by(matches.desc(), U.c.last_seen_at.desc().nulls_last(), U.c.id.desc())
        .limit(min(limit, 50))
    )
    own_org = getattr(viewer, 'organization_id', None)
    if own_org is not None:
        query = query.where(U.c.organization_id.is_distinct_from(own_org))
    ids = [r[0] for r in session.execute(query).all()]
    keys = dict(session.execute(select(T.c.id, T.c.key).where(T.c.id.in_(tag_ids))).all())
    offered = _tags_of(session, ids)
    matched = {i: tuple(t.key for t in offered[i][TagKind.OFFER] if t.key in keys.values()) for i in ids}
    return _cards(session, ids, matched, offered)


def suggest_helpers(session: Session, *, viewer: Any, limit: int = 6) -> list[MemberCard]:
    """Kolleg:innen from other administrations who offer what I am looking for."""
    require_active(viewer)
    needs = [r[0] for r in session.execute(
        select(MT.c.tag_id).where(MT.c.user_id == viewer.id, MT.c.kind == TagKind.NEED)).all()]
    return _helpers(session, viewer, needs, limit)


def helpers_for_topic(session: Session, *, viewer: Any, topic: str, limit: int = 6) -> list[MemberCard]:
    """Kolleg:innen from other administrations who offer help with this topic (a tag key)."""
    require_active(viewer)
    tag_id = session.execute(select(T.c.id).where(T.c.key == search.fold(topic))).scalar_one_or_none()
    return _helpers(session, viewer, [tag_id] if tag_id else [], limit)


def tag_name(session: Session, key: str) -> str | None:
    return session.execute(select(T.c.name).where(T.c.key == key)).scalar_one_or_none()

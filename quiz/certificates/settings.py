"""Certificate settings — heading, signer, place and optional logo — of the Department and of each school.

The signatory follows the contest's organiser (``signing_unit``): a province contest is signed by the
Department (its Director), a school's contest and a teacher's class contest by the school (its principal,
"HIỆU TRƯỞNG"). A school without saved settings prints its own name under the Department's, "HIỆU
TRƯỞNG" and an empty name line (``missing`` says what to fill in)."""
from __future__ import annotations

import io
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from quiz import audit
from quiz.errors import NotAllowed, ValidationFailed
from quiz.models import CertificateSettings, Contest, ContestScope, Role, Unit, UnitKind, User

MAX_LOGO_BYTES = 1024 * 1024
LOGO_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg"}
DEFAULT_SIGNER_TITLE = "GIÁM ĐỐC"
DEFAULT_PLACE = "Tây Ninh"
SCHOOL_SIGNER_TITLE = "HIỆU TRƯỞNG"


@dataclass
class SettingsInput:
    authority_name: str
    department_name: str
    signer_title: str
    signer_name: str
    place: str


def department_of(session: Session, unit: Unit) -> Unit:
    """The Department at the top of ``unit``'s tree."""
    ids = unit.ancestor_ids()
    root = session.get(Unit, ids[0]) if ids else unit
    if root is None or root.kind is not UnitKind.DEPARTMENT:
        return session.scalar(select(Unit).where(Unit.kind == UnitKind.DEPARTMENT).order_by(Unit.id)) or unit
    return root


def settings_for(session: Session, department: Unit, place: str = DEFAULT_PLACE) -> CertificateSettings:
    """The saved settings, or unsaved defaults made from the Department's name."""
    found = session.scalar(select(CertificateSettings).where(CertificateSettings.unit_id == department.id))
    if found is not None:
        return found
    return CertificateSettings(unit_id=department.id, authority_name="", department_name=department.name.upper(),
                               signer_title=DEFAULT_SIGNER_TITLE, signer_name="", place=place)


def signing_unit(session: Session, contest: Contest) -> Unit:
    """Whose name heads and signs the contest's certificates: the Department, or the organising school."""
    unit = contest.organiser_unit
    if contest.scope is ContestScope.PROVINCE or unit.kind in (UnitKind.DEPARTMENT, UnitKind.AREA):
        return department_of(session, unit)
    if unit.kind is UnitKind.CLASS and unit.parent is not None:
        return unit.parent
    return unit


def school_settings_for(session: Session, school: Unit, place: str = DEFAULT_PLACE) -> CertificateSettings:
    """A school's saved settings, or unsaved defaults: the Department's name above the school's, HIỆU TRƯỞNG."""
    found = session.scalar(select(CertificateSettings).where(CertificateSettings.unit_id == school.id))
    if found is not None:
        return found
    department = settings_for(session, department_of(session, school), place)
    return CertificateSettings(unit_id=school.id, authority_name=department.department_name,
                               department_name=school.name.upper(), signer_title=SCHOOL_SIGNER_TITLE,
                               signer_name="", place=department.place)


def settings_of(session: Session, unit: Unit, place: str = DEFAULT_PLACE) -> CertificateSettings:
    return settings_for(session, unit, place) if unit.kind is UnitKind.DEPARTMENT else \
        school_settings_for(session, unit, place)


def contest_settings(session: Session, contest: Contest, place: str = DEFAULT_PLACE) -> CertificateSettings:
    """The settings the contest's certificates print (its organiser's)."""
    return settings_of(session, signing_unit(session, contest), place)


def missing(row: CertificateSettings) -> list[str]:
    """The fields still to fill in before the certificates look finished (unsaved settings, no signer's name)."""
    gaps = [] if row.id is not None else ["saved"]
    return gaps + [name for name in ("signer_name",) if not (getattr(row, name) or "").strip()]


def may_edit(actor: User, unit: Unit) -> bool:
    """The Department's admins edit every settings; a school's manager edits their school's."""
    if actor.role is Role.ADMIN:
        return unit.kind in (UnitKind.DEPARTMENT, UnitKind.SCHOOL)
    return actor.role is Role.MANAGER and unit.kind is UnitKind.SCHOOL and actor.unit_id == unit.id


def _clean(data: SettingsInput) -> SettingsInput:
    cleaned = SettingsInput(*(" ".join((getattr(data, f) or "").split()) for f in SettingsInput.__dataclass_fields__))
    errors: dict[str, list[str]] = {}
    for name in ("department_name", "signer_title", "signer_name", "place"):
        if not getattr(cleaned, name):
            errors[name] = ["required"]
    if errors:
        raise ValidationFailed("missing fields", errors)
    return cleaned


def check_logo(data: bytes) -> str:
    """The logo's content type; refuses anything that is not a small PNG or JPEG image."""
    if len(data) > MAX_LOGO_BYTES:
        raise ValidationFailed("logo too large", {"logo": ["too_large"]})
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
            kind = image.format
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationFailed("not an image", {"logo": ["not_an_image"]}) from None
    if kind not in LOGO_TYPES:
        raise ValidationFailed("not PNG or JPEG", {"logo": ["not_an_image"]})
    return LOGO_TYPES[kind]


def save_settings(session: Session, actor: User, data: SettingsInput, now, *, unit: Unit | None = None,
                  logo: bytes | None = None, remove_logo: bool = False, ip: str | None = None) -> CertificateSettings:
    """Save the settings of ``unit`` (the actor's Department when not given)."""
    if unit is None:
        if actor.role is not Role.ADMIN:
            raise NotAllowed("only the Department sets the certificates")
        unit = department_of(session, actor.unit)
    if not may_edit(actor, unit):
        raise NotAllowed("these are not your certificate settings")
    cleaned = _clean(data)
    logo_type = check_logo(logo) if logo else None
    row = settings_of(session, unit)
    if row.id is None:
        session.add(row)
    for name in SettingsInput.__dataclass_fields__:
        setattr(row, name, getattr(cleaned, name))
    if logo:
        row.logo, row.logo_type = logo, logo_type
    elif remove_logo:
        row.logo, row.logo_type = None, None
    row.updated_at = now
    session.flush()
    audit.record(session, actor, "certificates.settings", f"Certificate settings of {unit.name}: {cleaned.signer_title} "
                 f"{cleaned.signer_name}, {cleaned.place}", target=row, ip=ip,
                 details={"logo": "new" if logo else ("removed" if remove_logo else "unchanged")})
    return row

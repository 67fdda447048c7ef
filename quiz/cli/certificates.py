"""``flask --app wsgi certificates …``"""
from __future__ import annotations

import click


@click.group("certificates", help="Certificates: issue and export.")
def certificates_group() -> None:
    pass

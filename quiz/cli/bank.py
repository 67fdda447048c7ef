"""``flask --app wsgi bank …``"""
from __future__ import annotations

import click


@click.group("bank", help="Question banks: list, import, export.")
def bank_group() -> None:
    pass

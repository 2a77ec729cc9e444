"""Fixes for errors, each verified on a copy before it is offered (see builder/fixes/offer.py)."""

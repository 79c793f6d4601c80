"""Menus from config (site-wide and per language) and from pages' front matter, as trees."""

from __future__ import annotations

from typing import Any

from sitegen.models import MenuEntry, Page
from sitegen.site.urls import join_url


def build_menus(
    config_menus: dict[str, list[dict[str, Any]]], pages: list[Page], prefix: str
) -> dict[str, list[MenuEntry]]:
    """Return {menu name: top-level entries sorted by weight, each with its children}."""
    flat: dict[str, list[MenuEntry]] = {}
    for name, entries in config_menus.items():
        for spec in entries:
            flat.setdefault(name, []).append(_entry(spec, prefix))
    for page in pages:
        for name, spec in _page_menus(page).items():
            # Hugo: an entry's weight defaults to the page's, its name to the page's title.
            spec = {
                "name": page.title,
                "identifier": page.rel_permalink,
                "weight": page.weight,
                **spec,
                "url": page.rel_permalink,
            }
            flat.setdefault(name, []).append(_entry(spec, prefix, resolved=True))
    return {name: _tree(entries) for name, entries in flat.items()}


def _page_menus(page: Page) -> dict[str, dict[str, Any]]:
    menu = page.params.get("menu") or page.params.get("menus")
    if isinstance(menu, str):
        return {menu: {}}
    if isinstance(menu, list):
        return {str(name): {} for name in menu}
    if isinstance(menu, dict):
        return {str(name): (spec if isinstance(spec, dict) else {}) for name, spec in menu.items()}
    return {}


def _entry(spec: dict[str, Any], prefix: str, resolved: bool = False) -> MenuEntry:
    spec = {str(k).lower(): v for k, v in spec.items()}
    name = str(spec.get("name") or "")
    url = str(spec.get("url") or spec.get("pageref") or "")
    return MenuEntry(
        identifier=str(spec.get("identifier") or name),
        name=name,
        url=url if resolved else localize_url(url, prefix),
        weight=int(spec.get("weight") or 0),
        pre=str(spec.get("pre") or ""),
        post=str(spec.get("post") or ""),
        title=str(spec.get("title") or ""),
        parent=str(spec.get("parent") or ""),
        params=dict(spec.get("params") or {}),
    )


def localize_url(url: str, prefix: str) -> str:
    """Site-relative menu URLs lead into the page's language ("/posts/" -> "/de/posts/")."""
    if not url or "://" in url or url.startswith(("mailto:", "tel:", "#", "//")):
        return url
    if prefix and (url == prefix + "/" or url.startswith(prefix + "/")):
        return url
    trailing = url.endswith("/")
    path = join_url(prefix, url)
    return path if trailing or path == "/" else path.rstrip("/")


def _tree(entries: list[MenuEntry]) -> list[MenuEntry]:
    by_id = {e.identifier: e for e in entries}
    roots: list[MenuEntry] = []
    for entry in entries:
        parent = by_id.get(entry.parent) if entry.parent else None
        (parent.children if parent is not None and parent is not entry else roots).append(entry)
    for entry in entries:
        entry.children.sort(key=_order)
    return sorted(roots, key=_order)


def _order(entry: MenuEntry) -> tuple:
    return (entry.weight == 0, entry.weight, entry.name.lower(), entry.identifier)

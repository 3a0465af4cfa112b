"""Getting a database ready to serve: schema, the configured admin and, on request, demo data."""

from __future__ import annotations

import logging
from contextlib import suppress

from sqlalchemy import func
from sqlmodel import select

from oms_app.core.config import get_settings
from oms_app.core.db import session_scope
from oms_app.core.errors import Conflict
from oms_app.core.migrations import startup_lock, upgrade_to_head
from oms_app.models.category import Category
from oms_app.models.product import Product
from oms_app.models.user import Role, User, UserCreate
from oms_app.services import auth
from oms_app.services.categories import slugify
from oms_app.services.demo_catalogue import (
    DEMO_CATEGORIES,
    DEMO_PRODUCTS,
    DEMO_SHOPPER,
    demo_picture,
)
from oms_app.services.product_images import attach_image

log = logging.getLogger(__name__)


def prepare_database() -> None:
    """What every start does: migrate, ensure the configured admin, load demo data if asked."""
    settings = get_settings()
    with startup_lock():
        upgrade_to_head()
        if settings.admin_email and settings.admin_password:
            ensure_admin(settings.admin_email, settings.admin_password)
        if settings.demo_data:
            load_demo_data()


def ensure_admin(email: str, password: str, name: str = "Administrator") -> None:
    """Create this admin, or promote the existing account. An existing password is kept."""
    data = UserCreate(name=name, email=email, password=password)
    with session_scope() as session:
        user = session.exec(select(User).where(User.email == data.email)).first()
        if user is not None:
            if not user.is_admin:
                user.role = Role.ADMIN
                log.info("Promoted user %s to admin", user.id)
            return
    try:
        created = auth.register(data, role=Role.ADMIN)
        log.info("Created admin user %s", created.id)
    except Conflict:
        # Another worker created it at the same moment; promote it if needed.
        ensure_admin(email, password, name)


def load_demo_data() -> None:
    """Load the demo catalogue (categories, products, pictures) and shopper once; later starts
    leave existing data alone."""
    loaded: dict[int, str] = {}
    with session_scope() as session:
        if session.exec(select(func.count()).select_from(Product)).one() == 0:
            category_of = {}
            for category_name, product_names in DEMO_CATEGORIES.items():
                category = Category(name=category_name, slug=slugify(category_name))
                session.add(category)
                session.flush()
                category_of.update(dict.fromkeys(product_names, category.id))
            for name, description, price, stock in DEMO_PRODUCTS:
                product = Product(
                    name=name,
                    description=description,
                    price=price,
                    stock=stock,
                    category_id=category_of.get(name),
                )
                session.add(product)
                session.flush()
                loaded[product.id] = name
            log.info("Loaded %d demo products", len(DEMO_PRODUCTS))
    for product_id, name in loaded.items():
        _attach_demo_picture(product_id, name)
    name, email, password = DEMO_SHOPPER
    with suppress(Conflict):  # the demo shopper exists from an earlier start
        auth.register(UserCreate(name=name, email=email, password=password))


def _attach_demo_picture(product_id: int, name: str) -> None:
    # Through the same checks and re-encoding as any upload.
    picture = demo_picture(name)
    if picture.is_file():
        attach_image(product_id, picture.read_bytes())
    else:
        log.warning("No demo picture for %r at %s", name, picture)

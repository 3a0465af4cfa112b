"""Categories over REST: admin CRUD, unique names in any case, slugs, live product counts."""

from __future__ import annotations

import pytest

from oms_app.services.categories import slugify

URL = "/api/v1/categories/"


@pytest.fixture
def make_category(client, admin_headers):
    def _make(name: str) -> dict:
        response = client.post(URL, json={"name": name}, headers=admin_headers)
        assert response.status_code == 201, response.text
        return response.json()

    return _make


def _counts(client) -> dict[str, int]:
    return {c["slug"]: c["product_count"] for c in client.get(f"{URL}?limit=100").json()["data"]}


def test_create_answers_201_with_a_derived_slug(client, make_category):
    assert make_category("  Office Chairs ") == {
        "id": 1,
        "name": "Office Chairs",
        "slug": "office-chairs",
        "product_count": 0,
    }
    listed = client.get(URL).json()
    assert listed["data"][0]["slug"] == "office-chairs"
    assert (listed["total"], listed["page"], listed["total_pages"]) == (1, 1, 1)


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Tea & Coffee!!", "tea-coffee"),
        ("Café Crème", "cafe-creme"),
        ("Straße", "strasse"),
        ("USB-C  Hubs", "usb-c-hubs"),
        ("2024", "c-2024"),
    ],
)
def test_slugs_are_lower_case_ascii_words(name, slug):
    assert slugify(name) == slug


def test_a_name_without_latin_letters_still_gets_a_stable_slug():
    assert slugify("家具") == slugify(" 家具 ")
    assert slugify("家具").startswith("c-")
    assert slugify("家具") != slugify("食品")


@pytest.mark.parametrize(
    "body",
    [
        {"name": ""},
        {"name": "   "},
        {"name": "x" * 61},
        {"name": None},
        {"name": 5},
        {"name": "nul\x00"},
        {},
        {"name": "Ok", "slug": "chosen"},
    ],
)
def test_invalid_names_are_422(client, admin_headers, body):
    assert client.post(URL, json=body, headers=admin_headers).status_code == 422


def test_sixty_characters_is_the_longest_name(client, make_category):
    assert make_category("x" * 60)["name"] == "x" * 60


def test_names_are_unique_in_any_case(client, admin_headers, make_category):
    make_category("Lamps")
    duplicate = client.post(URL, json={"name": "LAMPS"}, headers=admin_headers)
    assert duplicate.status_code == 409
    assert "already exists" in duplicate.json()["detail"]


def test_two_names_with_one_slug_conflict(client, admin_headers, make_category):
    make_category("Office Chairs")
    clash = client.post(URL, json={"name": "Office-Chairs"}, headers=admin_headers)
    assert clash.status_code == 409
    assert "office-chairs" in clash.json()["detail"]


def test_the_slug_follows_a_rename(client, admin_headers, make_category):
    category = make_category("Lamps")
    renamed = client.put(
        f"{URL}{category['id']}", json={"name": "Desk Lamps"}, headers=admin_headers
    )
    assert renamed.status_code == 200
    assert (renamed.json()["name"], renamed.json()["slug"]) == ("Desk Lamps", "desk-lamps")
    recased = client.put(
        f"{URL}{category['id']}", json={"name": "DESK lamps"}, headers=admin_headers
    )
    assert recased.status_code == 200  # its own name in another case is no duplicate


def test_renaming_onto_another_category_is_409(client, admin_headers, make_category):
    make_category("Lamps")
    other = make_category("Chairs")
    response = client.put(f"{URL}{other['id']}", json={"name": "lamps"}, headers=admin_headers)
    assert response.status_code == 409
    assert client.get(URL).json()["data"][0]["name"] == "Chairs"


def test_missing_categories_are_404(client, admin_headers):
    assert client.put(f"{URL}999", json={"name": "X"}, headers=admin_headers).status_code == 404
    assert client.delete(f"{URL}999", headers=admin_headers).status_code == 404
    assert client.delete(f"{URL}0", headers=admin_headers).status_code == 422


def test_only_admins_change_categories(client, alice_headers, make_category):
    category = make_category("Lamps")
    item = f"{URL}{category['id']}"
    assert client.post(URL, json={"name": "X"}).status_code == 401
    assert client.post(URL, json={"name": "X"}, headers=alice_headers).status_code == 403
    assert client.put(item, json={"name": "X"}, headers=alice_headers).status_code == 403
    assert client.delete(item, headers=alice_headers).status_code == 403
    assert client.get(URL).status_code == 200  # reading is public


def test_the_list_pages_by_name_in_any_case(client, make_category):
    for name in ("banana", "Apple", "cherry", "Date"):
        make_category(name)
    first = client.get(f"{URL}?limit=3").json()
    assert [c["name"] for c in first["data"]] == ["Apple", "banana", "cherry"]
    assert (first["total"], first["total_pages"]) == (4, 2)
    assert [c["name"] for c in client.get(f"{URL}?limit=3&page=2").json()["data"]] == ["Date"]
    assert client.get(f"{URL}?limit=101").status_code == 422


def test_counts_follow_every_product_change_at_once(
    client, admin_headers, alice_headers, make_category, make_product
):
    lamps, chairs = make_category("Lamps"), make_category("Chairs")
    assert _counts(client) == {"lamps": 0, "chairs": 0}  # now cached
    one = make_product(name="Lamp one", category_id=lamps["id"], stock=1)
    make_product(name="Lamp two", category_id=lamps["id"])
    assert _counts(client) == {"lamps": 2, "chairs": 0}
    client.put(
        f"/api/v1/products/{one['id']}", json={"category_id": chairs["id"]}, headers=admin_headers
    )
    assert _counts(client) == {"lamps": 1, "chairs": 1}
    client.delete(f"/api/v1/products/{one['id']}", headers=admin_headers)
    assert _counts(client) == {"lamps": 1, "chairs": 0}  # soft-deleted products do not count
    client.put(f"/api/v1/products/{one['id']}/restore", headers=admin_headers)
    assert _counts(client) == {"lamps": 1, "chairs": 1}
    order = client.post(
        "/api/v1/orders/", json={"product_id": one["id"], "quantity": 1}, headers=alice_headers
    )
    assert order.status_code == 201
    assert _counts(client) == {"lamps": 1, "chairs": 1}  # out of stock is still a product


def test_products_carry_their_category(client, admin_headers, make_category, make_product):
    lamps = make_category("Lamps")
    product = make_product(name="Lamp", category_id=lamps["id"])
    brief = {"id": lamps["id"], "name": "Lamps", "slug": "lamps"}
    assert product["category"] == brief
    url = f"/api/v1/products/{product['id']}"
    assert client.get(url).json()["category"] == brief
    assert client.get("/api/v1/products/").json()["data"][0]["category"] == brief
    assert make_product(name="Plain")["category"] is None


def test_a_product_may_leave_its_category(client, admin_headers, make_category, make_product):
    product = make_product(category_id=make_category("Lamps")["id"])
    url = f"/api/v1/products/{product['id']}"
    kept = client.put(url, json={"price": 3}, headers=admin_headers).json()
    assert kept["category"]["slug"] == "lamps"  # leaving category_id out keeps it
    cleared = client.put(url, json={"category_id": None}, headers=admin_headers).json()
    assert cleared["category"] is None
    assert client.get(url).json()["category"] is None


def test_an_unknown_category_id_is_404_and_changes_nothing(client, admin_headers, make_product):
    payload = {"name": "Lamp", "price": 5, "stock": 1, "category_id": 999}
    response = client.post("/api/v1/products/", json=payload, headers=admin_headers)
    assert response.status_code == 404
    assert response.json()["detail"] == "Category 999 not found"
    assert client.get("/api/v1/products/").json()["total"] == 0
    product = make_product()
    url = f"/api/v1/products/{product['id']}"
    assert client.put(url, json={"category_id": 999}, headers=admin_headers).status_code == 404
    assert client.put(url, json={"category_id": 0}, headers=admin_headers).status_code == 422
    assert client.get(url).json() == product


def test_a_rename_shows_on_cached_products(client, admin_headers, make_category, make_product):
    lamps = make_category("Lamps")
    product = make_product(category_id=lamps["id"])
    url = f"/api/v1/products/{product['id']}"
    client.get(url)
    client.get("/api/v1/products/")  # both cached now
    client.put(f"{URL}{lamps['id']}", json={"name": "Lights"}, headers=admin_headers)
    assert client.get(url).json()["category"]["name"] == "Lights"
    assert client.get("/api/v1/products/").json()["data"][0]["category"]["slug"] == "lights"


def test_a_category_in_use_cannot_be_deleted(client, admin_headers, make_category, make_product):
    lamps = make_category("Lamps")
    product = make_product(category_id=lamps["id"])
    item = f"{URL}{lamps['id']}"
    refused = client.delete(item, headers=admin_headers)
    assert refused.status_code == 409
    assert "1 product uses it" in refused.json()["detail"]
    assert client.get(URL).json()["total"] == 1

    # A soft-deleted product does not hold its category; restored, it comes back without one.
    url = f"/api/v1/products/{product['id']}"
    client.delete(url, headers=admin_headers)
    assert client.delete(item, headers=admin_headers).status_code == 204
    assert client.get(URL).json()["total"] == 0
    restored = client.put(f"{url}/restore", headers=admin_headers).json()
    assert restored["category"] is None

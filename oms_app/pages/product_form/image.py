"""The image section of the product dialog: the image as it is, a drop zone that uploads a file
as soon as it is chosen, the upload's progress and a Remove image button."""

from __future__ import annotations

import reflex as rx

from oms_app import reflex_adapter
from oms_app.components.confirm import confirm_button
from oms_app.components.forms import inline_error
from oms_app.pages.product_form.image_state import IMAGE_RULES
from oms_app.pages.product_form.state import ProductForm
from oms_app.services import product_images

UPLOAD_ID = "product-image-upload"
ACCEPTED = {"image/jpeg": [".jpg", ".jpeg"], "image/png": [".png"], "image/webp": [".webp"]}


def image_later() -> rx.Component:
    return rx.text(
        "Save the product first; then open Edit to add its image.",
        size="2",
        color_scheme="gray",
        high_contrast=True,
        margin_top="1em",
    )


def image_section(state: type[ProductForm]) -> rx.Component:
    """The product's image: what it is now, and a drop zone that replaces it when a file is
    dropped or picked."""
    return rx.flex(
        rx.separator(size="4"),
        rx.heading("Image", as_="h3", size="3"),
        rx.flex(
            rx.cond(
                state.image_preview != "",
                rx.image(
                    src=state.image_preview,
                    alt="Current image of " + state.values["name"],
                    width="6em",
                    height="6em",
                    object_fit="contain",
                    background="var(--gray-a2)",
                    border_radius="var(--radius-2)",
                    id="image-preview",
                ),
                rx.center(
                    rx.text("No image", size="1", color_scheme="gray", high_contrast=True),
                    width="6em",
                    height="6em",
                    background="var(--gray-a3)",
                    border_radius="var(--radius-2)",
                    id="no-image",
                ),
            ),
            reflex_adapter.label_file_input(
                _drop_zone(state), "Product image: JPEG, PNG or WebP file"
            ),
            spacing="3",
            align="center",
            width="100%",
        ),
        rx.cond(
            state.uploading & ~state.checking_image,
            rx.flex(
                rx.progress(value=state.upload_percent, max=100, aria_label="Upload progress"),
                rx.text("Uploading… ", state.upload_percent, "%", size="1"),
                direction="column",
                spacing="1",
                role="status",
            ),
        ),
        rx.cond(
            state.checking_image,
            rx.flex(
                rx.spinner(size="2", aria_hidden="true"),
                rx.text("Checking the image…", size="2"),
                spacing="2",
                align="center",
                role="status",
            ),
        ),
        inline_error(state.image_error, id="image-error"),
        rx.cond(
            state.image_preview != "",
            rx.box(
                confirm_button(
                    "Remove image",
                    title="Remove the image?",
                    question="Shoppers will see the product without a picture.",
                    confirm_label="Remove image",
                    on_confirm=state.remove_image,
                    size="1",
                ),
            ),
        ),
        direction="column",
        spacing="3",
        margin_top="1em",
    )


def _drop_zone(state: type[ProductForm]) -> rx.Component:
    """Drop a file here, or press "Choose image": either uploads it at once."""
    return rx.upload.root(
        rx.flex(
            rx.icon("image-up", size=20, aria_hidden="true"),
            rx.text("Drop an image here, or", size="2"),
            rx.button("Choose image", type="button", variant="soft", size="2"),
            rx.text(IMAGE_RULES, size="1", color_scheme="gray", high_contrast=True),
            direction="column",
            align="center",
            spacing="1",
        ),
        id=UPLOAD_ID,
        accept=ACCEPTED,
        multiple=False,
        max_files=1,
        max_size=product_images.MAX_IMAGE_BYTES,
        # The button inside is the keyboard's way in (the zone itself is no button).
        no_keyboard=True,
        on_drop=state.upload_image(
            rx.upload_files(upload_id=UPLOAD_ID, on_upload_progress=state.upload_progress)
        ),
        on_drop_rejected=lambda rejected: state.image_rejected(_rejection_codes(rejected)),
        border="1px dashed var(--gray-a8)",
        border_radius="var(--radius-3)",
        padding="0.75em",
        flex="1",
        cursor="pointer",
    )


def _rejection_codes(rejected: rx.Var) -> rx.Var:
    """Only the reasons of react-dropzone's refusals go to the server: each refusal also holds
    the File, which the socket would otherwise carry along, whatever its size."""
    return rx.Var(f"{rejected}.flatMap((r) => (r.errors || []).map((e) => String(e.code)))").to(
        list[str]
    )

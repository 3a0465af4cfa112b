"""The create/edit product dialog of /admin/products: its state (mixed into the page's list
state, so a save reads the list again) and its components.

An existing product's image is uploaded as soon as it is chosen (dropped or picked), without
Save: the browser posts it to Reflex's upload endpoint (whose body the hardening middleware
caps), and `upload_image` hands it to services/product_images.py, which reads at most one byte
past its limit and decodes in a worker thread.

Its parts: the dialog's state (state.py) and its image's (image_state.py), the dialog with its
buttons (dialog.py) and the image section inside it (image.py).
"""

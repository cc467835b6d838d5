"""The local web app for staff (``reportgen serve``): a new front door to the same case
model, validation and document model as the CLI. See app.py for the routes."""

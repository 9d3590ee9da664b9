"""The Django project of the SimpleJWT test upstream (configured from environment variables)."""

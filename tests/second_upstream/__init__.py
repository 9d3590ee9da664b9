"""The second upstream (Django REST framework + SimpleJWT) through its generated SDK, drf_sdk."""

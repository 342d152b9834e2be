"""argon2id with the parameters SECURITY.md pins (AUTH-03): t=3, m=64 MiB, p=4 (RFC 9106)."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idHasher(Argon2PasswordHasher):
    # Same algorithm name as Django's, so existing hashes verify and weaker ones are upgraded
    # at the next sign-in (must_update compares these parameters).
    time_cost = 3
    memory_cost = 65536
    parallelism = 4

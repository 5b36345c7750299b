from django.contrib.auth.hashers import Argon2PasswordHasher


class TunedArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id at OWASP's first recommended setting: 19 MiB, 2 passes, 1 lane.

    Django's defaults (100 MiB, 8 lanes) and PBKDF2's ~0.6 s of CPU per login
    are too heavy when hundreds of people sign in on a 2-core server at a
    month-end deadline; this costs a few tens of milliseconds and stays within
    the OWASP Password Storage Cheat Sheet's parameters. Hashes made with other
    parameters are upgraded on the next successful login.
    """

    algorithm = "argon2"
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1

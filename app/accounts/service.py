"""Account use cases: sign-up, verification, login with throttling, sessions, resets, tokens."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from tortoise.exceptions import IntegrityError

from app import audit, queue
from app.accounts import tokens
from app.accounts.models import ApiToken, User, UserSession
from app.accounts.passwords import dummy_verify, hash_password, verify_password
from app.accounts.schemas import PasswordResetIn, ProfileIn, SignUpIn
from app.db import atomic
from app.errors import AppError, Invalid, NotFound, TooManyRequests
from app.i18n import lazy_gettext as _l
from app.settings import Settings
from app.throttle import Throttle
from app.timefmt import now

SESSION_DAYS = 14
DEVICE_COOKIE = "harambee_device"
DEVICE_SECONDS = tokens.MAX_AGE[tokens.DEVICE]
TOKEN_PREFIX = "hrb_"
EMAIL_TAKEN = _l("An account with this email already exists. Sign in, or reset your password.")


def normalise_email(email: str) -> str:
    return email.strip().lower()


async def sign_up(settings: Settings, data: SignUpIn) -> tuple[User, str]:
    """A new account, signed in: the user and their session's key (the cookie's)."""
    email = normalise_email(str(data.email))
    if await User.exists(email=email):
        raise Invalid(fields={"email": EMAIL_TAKEN})
    # Hashed before the transaction opens: ~200 ms must not hold a connection or a lock.
    password_hash = await hash_password(data.password, cheap=settings.argon2_cheap)
    try:
        async with atomic():
            user = await User.create(
                email=email, display_name=data.display_name, locale=data.locale,
                timezone=data.timezone, password_hash=password_hash,
            )
            await audit.record(verb="user.signed_up", obj=user, actor_id=user.id)
            await queue.enqueue("send_verification_email", user.id)
            key = await start_session(user)
    except IntegrityError as exc:  # the same email signed up a moment ago
        raise Invalid(fields={"email": EMAIL_TAKEN}) from exc
    return user, key


async def resend_verification(user: User) -> None:
    if not user.is_verified:
        # One mail a minute at most, however often the button is pressed.
        await queue.enqueue("send_verification_email", user.id,
                            job_id=f"verify:{user.id}:{now():%Y%m%d%H%M}")


async def verify_email(settings: Settings, token: str) -> User:
    payload = tokens.unsign(settings, tokens.VERIFY_EMAIL, token)
    user = await User.get_or_none(id=payload["uid"]) if payload else None
    if payload is None or user is None or user.email != payload.get("email"):
        raise AppError(
            _l("This verification link is invalid or has expired. Sign in to get a new one."),
            code="link_expired", status_code=400)
    if not user.is_verified:
        async with atomic():
            user.email_verified_at = now()
            await user.save(update_fields=["email_verified_at"])
            await audit.record(verb="user.verified", obj=user, actor_id=user.id,
                               changed=["email_verified_at"])
    return user


def email_digest(email: str) -> str:
    """What throttles and cookies know an address by: never the address itself."""
    return hashlib.sha256(normalise_email(email).encode()).hexdigest()[:32]


def device_cookie(settings: Settings, email: str) -> str:
    """Given to a browser once it signs in: it then counts its own failures for the account
    (OWASP's device cookies), so a stranger's wrong guesses do not lock the owner out."""
    return tokens.sign(settings, tokens.DEVICE,
                       {"account": email_digest(email), "nonce": tokens.new_secret()[:16]})


def _device_nonce(settings: Settings, device: str | None, email: str) -> str | None:
    payload = tokens.unsign(settings, tokens.DEVICE, device) if device else None
    if payload is None or payload.get("account") != email_digest(email):
        return None
    nonce = payload.get("nonce")
    return nonce if isinstance(nonce, str) else None


def _throttle_keys(settings: Settings, email: str, ip: str,
                   device: str | None) -> tuple[str, str]:
    """The account's key (a browser it trusts has a key of its own) and the address's key."""
    nonce = _device_nonce(settings, device, email)
    account = f"login:device:{nonce}" if nonce else f"login:account:{email_digest(email)}"
    return account, f"login:ip:{ip}"


async def authenticate(
    settings: Settings, throttle: Throttle, *, email: str, password: str, ip: str,
    device: str | None = None,
) -> User:
    """The user, or an error that never says which of email and password was wrong. Five
    failures lock the account for browsers it does not know; one that signed in to it
    before (`device`, its cookie) has five of its own."""
    keys = _throttle_keys(settings, email, ip, device)
    # Counted before the password is checked (hit is atomic), so parallel attempts cannot
    # all slip under the limit. An IP may be a whole co-op office: it gets ten times more.
    limits = (settings.login_attempts, settings.login_attempts * 10)
    for key, limit in zip(keys, limits, strict=True):
        if await throttle.hit(key, settings.login_window_seconds) > limit:
            raise TooManyRequests()
    user = await User.get_or_none(email=normalise_email(email))
    if user is None:
        await dummy_verify(password, cheap=settings.argon2_cheap)
    cheap = settings.argon2_cheap
    if user is None or not await verify_password(user.password_hash, password, cheap=cheap):
        raise Invalid(_l("That email and password do not match an account."),
                      code="bad_credentials",
                      fields={"password": _l("Check your email and password and try again.")})
    # The account's owner is back: their failures are forgiven, the browser's and the account's.
    for key in {keys[0], f"login:account:{email_digest(email)}"}:
        await throttle.reset(key)
    await throttle.undo(keys[1])  # and a busy office's successful sign-ins do not count
    return user


async def start_session(user: User) -> str:
    """A new random session key (the cookie's); only its hash is stored."""
    key = tokens.new_secret()
    await UserSession.create(key_hash=tokens.hash_secret(key), user=user,
                             expires_at=now() + timedelta(days=SESSION_DAYS))
    return key


async def end_session(key: str) -> None:
    await UserSession.filter(key_hash=tokens.hash_secret(key)).delete()


async def user_for_session(key: str) -> User | None:
    session = await UserSession.get_or_none(
        key_hash=tokens.hash_secret(key), expires_at__gt=now()
    ).select_related("user")
    return session.user if session else None


async def request_password_reset(email: str) -> None:
    """Send a reset link if the account exists; the answer is the same either way."""
    user = await User.get_or_none(email=normalise_email(email))
    if user is not None:  # one mail a minute at most, however often the form is sent
        await queue.enqueue("send_password_reset", user.id,
                            job_id=f"reset:{user.id}:{now():%Y%m%d%H%M}")


def password_reset_token(settings: Settings, user: User) -> str:
    return tokens.sign(settings, tokens.RESET_PASSWORD,
                       {"uid": user.id, "fp": tokens.fingerprint(user.password_hash)})


async def user_for_reset_token(settings: Settings, token: str) -> User:
    payload = tokens.unsign(settings, tokens.RESET_PASSWORD, token)
    user = await User.get_or_none(id=payload["uid"]) if payload else None
    stale = user is None or tokens.fingerprint(user.password_hash) != (payload or {}).get("fp")
    if payload is None or user is None or stale:
        raise AppError(_l("This reset link is invalid, used or expired. Ask for a new one."),
                       code="link_expired", status_code=400)
    return user


async def reset_password(settings: Settings, data: PasswordResetIn) -> int:
    """A new password; every session ends and every API token is revoked (someone who had
    the old password may have made one). Returns how many tokens were revoked."""
    user = await user_for_reset_token(settings, data.token)
    password_hash = await hash_password(data.password, cheap=settings.argon2_cheap)
    async with atomic():
        user.password_hash = password_hash
        # Whoever clicked the link proved they read the mail: the address is verified too.
        user.email_verified_at = user.email_verified_at or now()
        await user.save(update_fields=["password_hash", "email_verified_at"])
        await UserSession.filter(user=user).delete()
        revoked = await ApiToken.filter(user=user, revoked_at=None).update(revoked_at=now())
        await audit.record(verb="user.password_reset", obj=user, actor_id=user.id,
                           changed=["password_hash", "api_tokens"] if revoked
                           else ["password_hash"])
    return int(revoked)


async def update_profile(user: User, data: ProfileIn) -> User:
    changed = [name for name in ("display_name", "locale", "timezone", "phone")
               if getattr(user, name) != getattr(data, name)]
    async with atomic():
        for name in changed:
            setattr(user, name, getattr(data, name))
        if changed:
            await user.save(update_fields=changed)
            await audit.record(verb="user.updated", obj=user, actor_id=user.id, changed=changed)
    return user


async def create_api_token(user: User, name: str) -> tuple[ApiToken, str]:
    """The token row and its secret, which is shown once and never stored."""
    secret = tokens.new_secret(TOKEN_PREFIX)
    async with atomic():
        token = await ApiToken.create(user=user, name=name, prefix=secret[:12],
                                      token_hash=tokens.hash_secret(secret))
        await audit.record(verb="api_token.created", obj=token, actor_id=user.id)
    return token, secret


async def list_api_tokens(user: User) -> list[ApiToken]:
    return await ApiToken.filter(user=user, revoked_at=None).order_by("-created_at")


async def revoke_api_token(user: User, token_id: int) -> None:
    token = await ApiToken.get_or_none(id=token_id, user=user, revoked_at=None)
    if token is None:
        raise NotFound()
    async with atomic():
        token.revoked_at = now()
        await token.save(update_fields=["revoked_at"])
        await audit.record(verb="api_token.revoked", obj=token, actor_id=user.id,
                           changed=["revoked_at"])


LAST_USED_PRECISION = timedelta(minutes=1)


# Every API request asks this, so it is written out: tortoise spends about 0.28 ms of CPU
# building the same query with select_related, twice what it costs to run (the hot-auction
# bench: a third of an HTTP bid's time). The user is built from the row as tortoise would.
TOKEN_USER_SQL = ("SELECT t.id AS token_id, t.last_used_at AS token_last_used_at, u.* "
                  "FROM api_tokens t JOIN users u ON u.id = t.user_id "
                  "WHERE t.token_hash = {} AND t.revoked_at IS NULL")
PLACEHOLDER = {"postgres": "$1", "sqlite": "?"}


async def user_for_api_token(secret: str) -> User | None:
    db = User._meta.db
    rows = await db.execute_query_dict(
        TOKEN_USER_SQL.format(PLACEHOLDER[db.capabilities.dialect]),
        [tokens.hash_secret(secret)])
    if not rows:
        return None
    row = dict(rows[0])
    token_id = row.pop("token_id")
    last_used_at = ApiToken._meta.fields_map["last_used_at"].to_python_value(
        row.pop("token_last_used_at"))
    moment = now()
    if last_used_at is None or moment - last_used_at > LAST_USED_PRECISION:
        # To the minute: a busy script must not turn every read into a durable write.
        await ApiToken.filter(id=token_id).update(last_used_at=moment)
    return User._init_from_db(**row)

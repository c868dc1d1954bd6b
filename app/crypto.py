"""Encryption of stored secrets (OAuth tokens) with rotating Fernet keys, newest first."""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from app.settings import Settings


class SecretBox:
    """Encrypts with the newest key; decrypts with any; `rotate` re-encrypts with the newest."""

    def __init__(self, settings: Settings) -> None:
        self._fernet = MultiFernet([Fernet(str(key)) for key in settings.token_encryption_keys])

    def encrypt(self, plaintext: str) -> str:
        return self._fernet.encrypt(plaintext.encode()).decode()

    def decrypt(self, ciphertext: str) -> str:
        """The plaintext; ValueError (never the secret) when no key opens it."""
        try:
            return self._fernet.decrypt(ciphertext.encode()).decode()
        except InvalidToken as exc:
            raise ValueError("stored secret cannot be decrypted with the configured keys") from exc

    def rotate(self, ciphertext: str) -> str:
        return self._fernet.rotate(ciphertext.encode()).decode()

"""The broadcast's use cases: the message, the broadcast, publishing, the fan-out, control."""

"""Bodies of the webhook API (XCreate / XUpdate / XRead / XPage), with the examples the
OpenAPI shows."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field

# The NOTIFIER event types (shared/contracts/notifier.py; a test holds them equal).
EventType = Literal[
    "rating_expiring",
    "rectification_due_soon",
    "rectification_overdue",
    "report_due_soon",
    "report_overdue",
    "zombie_cleared",
    "zombie_flagged",
    "zombie_signal_cleared",
    "zombie_signal_raised",
]
SECRET = r"^whsec_[A-Za-z0-9+/]+={0,2}$"
COUNTY = r"^\d{6}$"
EXAMPLE_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
EXAMPLE_SUBSCRIPTION: dict[str, Any] = {
    "id": "7f1c3c1e-5a0b-4c4e-9d53-2b8f6c1d9e10",
    "url": "https://zwfw.wuhan.gov.cn/hooks/socorg",
    "event_types": ["zombie_cleared", "zombie_flagged"],
    "place": "420100",
    "description": "武汉市政务服务平台",
    "active": True,
    "disabled_reason": None,
    "rotating_until": None,
    "created_at": "2025-06-01T08:00:00Z",
    "updated_at": "2025-06-01T08:00:00Z",
}


class SubscriptionCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "url": "https://zwfw.wuhan.gov.cn/hooks/socorg",
                    "event_types": ["zombie_flagged", "zombie_cleared"],
                    "place": "420100",
                    "description": "武汉市政务服务平台",
                }
            ]
        },
    )

    url: str = Field(max_length=2000, description="where deliveries are POSTed (http or https)")
    event_types: list[EventType] = Field(min_length=1, description="the NOTIFIER event types")
    place: str | None = Field(
        None,
        pattern=COUNTY,
        description="GB/T 2260 code (6 digits) of the area whose events it receives; default: "
        "the key's area",
    )
    secret: str | None = Field(
        None,
        pattern=SECRET,
        max_length=200,
        description="whsec_ + base64 of 24 to 64 bytes; default: one made by the service",
    )
    description: str | None = Field(None, max_length=300)


class SubscriptionUpdate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"rotate_secret": True}, {"active": True}]},
    )

    url: str | None = Field(None, max_length=2000)
    event_types: list[EventType] | None = Field(None, min_length=1)
    place: str | None = Field(None, pattern=COUNTY, description="null: the key's whole area")
    description: str | None = Field(None, max_length=300)
    active: bool | None = Field(
        None, description="false pauses deliveries; true resumes (e.g. after a 410 disabled it)"
    )
    rotate_secret: bool = Field(
        False, description="a new secret made by the service; the old one signs too for a while"
    )
    secret: str | None = Field(
        None, pattern=SECRET, max_length=200, description="rotate to this secret instead"
    )


class SubscriptionRead(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [EXAMPLE_SUBSCRIPTION]})

    id: str
    url: str
    event_types: list[str]
    place: str | None
    description: str | None
    active: bool
    disabled_reason: str | None = Field(None, description="why deliveries stopped (e.g. 410)")
    rotating_until: datetime | None = Field(
        None, description="the previous secret signs too until then"
    )
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, row: dict[str, Any], now: datetime) -> Self:
        until = row.get("previous_until")
        return cls(
            **{k: row[k] for k in cls.model_fields if k in row},
            rotating_until=until if until is not None and until > now else None,
        )


class SubscriptionCreated(SubscriptionRead):
    model_config = ConfigDict(
        json_schema_extra={"examples": [EXAMPLE_SUBSCRIPTION | {"secret": EXAMPLE_SECRET}]}
    )

    secret: str | None = Field(
        None, description="the signing secret: shown only in this answer, keep it"
    )


class SubscriptionPage(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"items": [EXAMPLE_SUBSCRIPTION], "next_after": None}]}
    )

    items: list[SubscriptionRead]
    next_after: str | None = Field(None, description="pass as `after` for the next page")


EXAMPLE_ATTEMPT: dict[str, Any] = {
    "id": 12,
    "delivery_id": 3,
    "attempt": 1,
    "at": "2025-06-01T08:00:01Z",
    "status": 500,
    "error": None,
    "latency_ms": 42,
    "response": "internal error",
}
EXAMPLE_DELIVERY: dict[str, Any] = {
    "id": 3,
    "subscription_id": EXAMPLE_SUBSCRIPTION["id"],
    "event_id": "0b7e5f0e-51c4-4f6f-b2b8-6f5f7f1d2a11",
    "event_type": "zombie_flagged",
    "division": "420106",
    "state": "pending",
    "attempts": 1,
    "next_attempt_at": "2025-06-01T08:00:06Z",
    "last_status": 500,
    "last_error": None,
    "created_at": "2025-06-01T08:00:00Z",
    "finished_at": None,
}


class AttemptRead(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [EXAMPLE_ATTEMPT]})

    id: int
    delivery_id: int
    attempt: int = Field(description="1 for the first try of the delivery, counting on")
    at: datetime
    status: int | None = Field(description="the receiver's status code; null: no answer")
    error: str | None = Field(description="why there was no answer (timeout, refused, …)")
    latency_ms: int
    response: str | None = Field(description="the first KiB of the receiver's answer")


class AttemptPage(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"items": [EXAMPLE_ATTEMPT], "next_after": None}]}
    )

    items: list[AttemptRead]
    next_after: int | None = None


class DeliveryRead(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [EXAMPLE_DELIVERY]})

    id: int
    subscription_id: str
    event_id: str = Field(description="the CloudEvent's id, sent as `webhook-id`")
    event_type: str
    division: str | None
    state: Literal["pending", "delivered", "dead"]
    attempts: int
    next_attempt_at: datetime | None
    last_status: int | None
    last_error: str | None
    created_at: datetime
    finished_at: datetime | None

    @classmethod
    def of(cls, row: dict[str, Any]) -> Self:
        values = {k: row[k] for k in cls.model_fields if k in row}
        return cls(**values | {"event_id": str(row["event_id"])})


class DeliveryDetail(DeliveryRead):
    model_config = ConfigDict(
        json_schema_extra={"examples": [EXAMPLE_DELIVERY | {"log": [EXAMPLE_ATTEMPT]}]}
    )

    log: list[AttemptRead] = Field(description="every attempt, oldest first")


class DeliveryPage(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"items": [EXAMPLE_DELIVERY], "next_after": None}]}
    )

    items: list[DeliveryRead]
    next_after: int | None = None

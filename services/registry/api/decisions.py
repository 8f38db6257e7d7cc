"""Bureau decisions on one organization: charity status, 限期整改, 撤销, 吊销, 注销, rating."""

from __future__ import annotations

from fastapi import APIRouter

from services.registry.api.acts import ActRoute, add_acts
from services.registry.api.decision_schemas import (
    CharityRecognitionCreate,
    DeregistrationCreate,
    DisposalCreate,
    RatingUpdate,
    RevocationCreate,
)
from services.registry.api.json_body import StrictJsonRoute
from services.registry.app import commands as c

router = APIRouter(
    prefix="/v1/organizations/{organization_id}", tags=["decisions"], route_class=StrictJsonRoute
)
add_acts(
    router,
    (
        ActRoute(
            "/charity-recognition",
            CharityRecognitionCreate,
            c.RecogniseAsCharity,
            "recognise_as_charity",
            "慈善组织认定: recognise a legal-person organization as a charity.",
        ),
        ActRoute(
            "/disposals",
            DisposalCreate,
            c.OrderDisposal,
            "order_disposal",
            "限期整改: order the organization to rectify by a date.",
        ),
        ActRoute(
            "/registration-revocation",
            RevocationCreate,
            c.RevokeRegistration,
            "revoke_registration",
            "撤销登记: revoke the registration (a sanction); "
            "the organization goes into liquidation.",
        ),
        ActRoute(
            "/certificate-revocation",
            RevocationCreate,
            c.RevokeCertificate,
            "revoke_certificate",
            "吊销登记证书: revoke a charity's certificate (慈善法); charities only.",
        ),
        ActRoute(
            "/deregistration",
            DeregistrationCreate,
            c.Deregister,
            "deregister",
            "注销登记: end the organization, on its application or after a revocation.",
        ),
        ActRoute(
            "/rating",
            RatingUpdate,
            c.ChangeRating,
            "record_rating",
            "等级评估: record the grade decided by evaluation (or its cancellation).",
            method="PUT",
            rating=True,
        ),
    ),
)

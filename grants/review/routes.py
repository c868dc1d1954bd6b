"""The review package's routes: its pages and its JSON API endpoints."""

from __future__ import annotations

from starlette.routing import BaseRoute, Route

from app import route_table  # noqa: F401  (registers {name:id} and {name:slug})
from app.api import ApiSpec, api_route
from grants.review import api as review_api
from grants.review.schemas import (
    AssignmentOut,
    DecisionIn,
    DecisionOut,
    RankedOut,
    ReviewIn,
    ReviewOut,
)
from grants.review.views import reviewer as reviewing
from grants.review.views import staff as review_staff
from grants.shared.web import APPLICATIONS, CALLS, GET_POST, MANAGE, MANAGE_CALL, ORG, POST, REVIEW

PAGES: list[BaseRoute] = [
    Route(ORG + "/reviews", reviewing.queue, name="grants:reviews"),
    Route(REVIEW, reviewing.review, methods=GET_POST, name="grants:review"),
    Route(REVIEW + "/autosave", reviewing.autosave, methods=POST, name="grants:review_autosave"),
    Route(REVIEW + "/conflict", reviewing.declare_conflict, methods=POST,
          name="grants:declare_conflict"),
    Route(REVIEW + "/files/{attachment_id:id}", reviewing.review_file,
          name="grants:review_file"),
    Route(ORG + "/reviewer", reviewing.profile, methods=GET_POST, name="grants:reviewer"),
    Route(ORG + "/reviewer/ties", reviewing.declare_tie, methods=POST, name="grants:tie"),
    Route(MANAGE + "/reviewers", review_staff.pool, methods=GET_POST,
          name="grants:reviewer_pool"),
    Route(MANAGE + "/reviewers/{user_id:id}", review_staff.reviewer_profile, methods=GET_POST,
          name="grants:reviewer_profile"),
    Route(MANAGE + "/conflicts/{conflict_id:id}/lift", review_staff.lift, methods=POST,
          name="grants:lift_conflict"),
    Route(MANAGE_CALL + "/assignments", review_staff.board, methods=GET_POST,
          name="grants:assignments"),
    Route(MANAGE_CALL + "/assignments/change", review_staff.change, methods=POST,
          name="grants:change_assignment"),
    Route(MANAGE + "/reviews/{review_id:id}/reopen", review_staff.reopen_review, methods=POST,
          name="grants:reopen_review"),
    Route(MANAGE_CALL + "/ranking", review_staff.ranking_page, name="grants:ranking"),
    Route(MANAGE_CALL + "/ranking.{fmt:str}", review_staff.export, name="grants:ranking_export"),
    Route(MANAGE_CALL + "/suggestion", review_staff.suggest, methods=GET_POST,
          name="grants:suggestion"),
    Route(MANAGE_CALL + "/publish", review_staff.publish, methods=POST, name="grants:publish"),
    Route(MANAGE + "/applications/{application_id:id}/decision", review_staff.decide,
          methods=POST, name="grants:decide"),
]

API: list[BaseRoute] = [
    api_route(CALLS + "/{call_id:id}/assignments", review_api.assign, method="POST",
              name="api:assign",
              spec=ApiSpec("Run the automatic reviewer assignment of a closed call (staff); "
                           "409 with the reasons when none exists", response=AssignmentOut)),
    api_route("/orgs/{org:slug}/reviews", review_api.my_reviews, method="GET",
              name="api:my_reviews",
              spec=ApiSpec("The caller's review queue", response=ReviewOut, many=True)),
    api_route("/orgs/{org:slug}/reviews/{review_id:id}", review_api.save_review, method="PUT",
              name="api:save_review",
              spec=ApiSpec("Save a review; \"submit\": true submits and locks it",
                           body=ReviewIn, response=ReviewOut)),
    api_route(CALLS + "/{call_id:id}/ranking", review_api.call_ranking, method="GET",
              name="api:ranking",
              spec=ApiSpec("A call's ranking: mean, spread, calibrated score and interval "
                           "(staff)", response=RankedOut, many=True)),
    api_route(APPLICATIONS + "/{application_id:id}/decision", review_api.decide,
              method="POST", name="api:decide",
              spec=ApiSpec("Record a decision within the call's budget (staff); 409 over "
                           "budget", body=DecisionIn, response=DecisionOut)),
]

"""What login-service asks while an invited person is on its pages: is this recovery flow an
invitation's (then the pages say "Welcome, choose a password", in the invitation's language),
and, once its code was redeemed, accept it — before the password is chosen, so the address is
already verified when Kratos's settings hook looks for `pending` addresses to mail."""

from __future__ import annotations

from dashboard_api.context import Context
from dashboard_api.db import utcnow
from dashboard_api.errors import NotFound
from dashboard_api.invitations import repository
from dashboard_api.invitations.models import ACCEPTED, PENDING
from dashboard_api.invitations.schemas import InvitationWelcome
from dashboard_api.users import invitations as redemption
from dashboard_api.users.reading import get_identity


def welcome(ctx: Context, *, recovery_flow: str, accept: bool) -> InvitationWelcome:
    row = repository.by_flow(ctx.session, recovery_flow)
    if row is None:
        raise NotFound("No invitation has this recovery flow.")
    if accept and row.state_at(utcnow()) == PENDING:
        # Accepts the invitation and verifies the address when Kratos says the code passed;
        # best effort (Kratos down: the next login's consent decision tries again).
        redemption.confirm_redeemed(ctx, get_identity(ctx, subject=row.subject))
    state = row.state_at(utcnow())
    return InvitationWelcome(state=state, language=row.language, accepted=state == ACCEPTED)

"""Reverting a statement to an old version, a reviewer's decision."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from tracker.history import REASON_LENGTH


class ReviewerRevertMixin:
    """For a ``SimpleHistoryAdmin``: only a reviewer (change + publish) may revert.

    simple_history's "Revert" button saves an old version through the history form
    view; that bypasses any rule that keeps editors from publishing, so it is gated
    on the publish permission, in the button *and* in the POST.
    """

    revert_permission = "statements.publish_statement"

    def _may_revert(self, request, obj=None) -> bool:
        return self.has_change_permission(request, obj) and request.user.has_perm(
            self.revert_permission
        )

    def revert_disabled(self, request, obj=None):
        return super().revert_disabled(request, obj) or not self._may_revert(request, obj)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST" and not self._may_revert(request):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def save_model(self, request, obj, form, change):
        match = getattr(request, "resolver_match", None)
        if match and match.url_name and match.url_name.endswith("_simple_history"):
            obj._change_reason = f"Reverted to version {match.args[-1] if match.args else ''}"[
                :REASON_LENGTH
            ]
        super().save_model(request, obj, form, change)

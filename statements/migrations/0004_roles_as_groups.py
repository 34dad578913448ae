"""Roles as Django groups: *editor* and *reviewer*.

An editor enters and corrects records (view/add/change) and may ingest sources;
an editor cannot publish, discard or delete. A reviewer is an editor who may also
delete, publish/discard statements, merge actors and set a claim's status. Staff
admins are superusers and need no group.

Permissions are created first (``create_permissions`` for every app), because
Django only creates them in ``post_migrate``, after this migration has run on a
fresh database. Running the migration twice changes nothing.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITABLE_MODELS = [
    ("actors", "actor"),
    ("actors", "alias"),
    ("actors", "role"),
    ("statements", "source"),
    ("statements", "statement"),
    ("statements", "claim"),
    ("statements", "stance"),
    ("statements", "event"),
    ("statements", "eventparticipant"),
    ("taggit", "tag"),
]

REVIEWER_EXTRA = [
    ("statements", "publish_statement"),
    ("actors", "merge_actor"),
    ("statements", "set_claim_status"),
]


def _codenames(actions):
    return [
        (app_label, f"{action}_{model}") for app_label, model in EDITABLE_MODELS for action in actions
    ]


EDITOR_PERMISSIONS = _codenames(["view", "add", "change"])
REVIEWER_PERMISSIONS = EDITOR_PERMISSIONS + _codenames(["delete"]) + REVIEWER_EXTRA


def _ensure_permissions(apps):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def _permissions(apps, pairs):
    Permission = apps.get_model("auth", "Permission")
    found = []
    for app_label, codename in pairs:
        found.append(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return found


def create_groups(apps, schema_editor):
    _ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    for name, pairs in (("editor", EDITOR_PERMISSIONS), ("reviewer", REVIEWER_PERMISSIONS)):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*_permissions(apps, pairs))


def delete_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["editor", "reviewer"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("statements", "0003_search_vector"),
        ("actors", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(create_groups, delete_groups)]

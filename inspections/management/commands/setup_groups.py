from django.core.management.base import BaseCommand

from inspections.groups import GROUP_PERMISSIONS, setup_groups


class Command(BaseCommand):
    help = "Create or update the Editors and Viewers admin groups and their permissions."

    def handle(self, *args, **options):
        for name, created in setup_groups().items():
            count = sum(len(actions) for actions in GROUP_PERMISSIONS[name].values())
            self.stdout.write(f"{name}: {'created' if created else 'updated'} with {count} permissions")

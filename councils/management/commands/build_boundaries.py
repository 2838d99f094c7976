from django.core.management.base import BaseCommand, CommandError

from councils.boundaries import SHIPPED, BoundaryError, build, write


class Command(BaseCommand):
    help = (
        "Build the map's council boundaries from ONS's district boundaries (GeoJSON) and ONS's district to "
        "upper-tier lookup (CSV): England's districts dissolved into the councils that run children's "
        "services, projected, simplified, written as SVG paths with the sources' provenance. Needs the "
        "build dependencies (pip install '.[build]'). A file it cannot use is refused in one line and "
        "nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("boundaries", help="ONS Local Authority Districts boundaries, GeoJSON (WGS 84)")
        parser.add_argument("lookup", help="ONS lower tier to upper tier local authority lookup, CSV")
        parser.add_argument("--output", default=str(SHIPPED), help="where to write (default: the shipped file)")
        parser.add_argument("--boundaries-origin", default="", help="where the boundaries file was taken from")
        parser.add_argument("--lookup-origin", default="", help="where the lookup file was taken from")

    def handle(self, *args, boundaries, lookup, output, boundaries_origin, lookup_origin, **options):
        try:
            data = build(boundaries, lookup, origins=(boundaries_origin, lookup_origin))
        except BoundaryError as error:
            raise CommandError(str(error)) from None
        except ImportError as error:
            raise CommandError(f"{error.name} is not installed: pip install '.[build]'") from None
        try:
            write(data, output)
        except OSError as error:
            raise CommandError(f"{output}: cannot be written ({error.strerror})") from None
        self.stdout.write(f"Wrote {len(data['areas'])} councils to {output}.")

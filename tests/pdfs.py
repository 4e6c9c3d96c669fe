"""PDFs built in the test, benign and hostile, with pypdf's writer."""

import io

from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    TextStringObject,
)


def _written(writer: PdfWriter) -> bytes:
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _writer(pages: int = 1) -> PdfWriter:
    """US Letter pages, each saying which page it is in large black type."""
    writer = PdfWriter()
    font = writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
            }
        )
    )
    for number in range(1, pages + 1):
        page = writer.add_blank_page(width=612, height=792)
        text = DecodedStreamObject()
        text.set_data(
            b"BT /F1 36 Tf 72 680 Td (Rx: baclofen 10 mg) Tj 0 -60 Td "
            + f"(Page {number}) Tj ET".encode()
        )
        page[NameObject("/Contents")] = writer._add_object(text)
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})}
        )
    return writer


def pdf_bytes(pages: int = 1) -> bytes:
    """A plain PDF of US Letter pages with a line of text on each."""
    return _written(_writer(pages))


def _action(kind: str, **entries) -> DictionaryObject:
    action = DictionaryObject(
        {NameObject("/Type"): NameObject("/Action"), NameObject("/S"): NameObject(kind)}
    )
    for key, value in entries.items():
        action[NameObject(f"/{key}")] = TextStringObject(value)
    return action


def _with_open_action(action: DictionaryObject) -> bytes:
    writer = _writer()
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    return _written(writer)


def _with_annotation(annotation: DictionaryObject) -> bytes:
    writer = _writer()
    annotation.update(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Rect"): ArrayObject(
                [NumberObject(0), NumberObject(0), NumberObject(100), NumberObject(100)]
            ),
        }
    )
    writer.pages[0][NameObject("/Annots")] = ArrayObject(
        [writer._add_object(annotation)]
    )
    return _written(writer)


def pdf_with_javascript_name() -> bytes:
    """Script in the document's names tree, run when the PDF opens."""
    writer = _writer()
    script = writer._add_object(_action("/JavaScript", JS="app.alert('hello');"))
    tree = DictionaryObject(
        {NameObject("/Names"): ArrayObject([TextStringObject("hello"), script])}
    )
    writer._root_object[NameObject("/Names")] = DictionaryObject(
        {NameObject("/JavaScript"): writer._add_object(tree)}
    )
    return _written(writer)


def pdf_with_javascript_open_action() -> bytes:
    return _with_open_action(_action("/JavaScript", JS="app.alert(1);"))


def pdf_with_javascript_link() -> bytes:
    """Script behind a link on the page, not in the catalog."""
    return _with_annotation(
        DictionaryObject(
            {
                NameObject("/Subtype"): NameObject("/Link"),
                NameObject("/A"): _action("/JavaScript", JS="app.alert(1);"),
            }
        )
    )


def pdf_with_launch_action() -> bytes:
    return _with_open_action(_action("/Launch", F="calc.exe"))


def pdf_with_launch_link() -> bytes:
    return _with_annotation(
        DictionaryObject(
            {
                NameObject("/Subtype"): NameObject("/Link"),
                NameObject("/A"): _action("/Launch", F="cmd.exe"),
            }
        )
    )


def pdf_with_embedded_file() -> bytes:
    writer = _writer()
    writer.add_attachment("invoice.exe", b"MZ\x90\x00 not really a program")
    return _written(writer)


def pdf_with_file_attachment_annotation() -> bytes:
    return _with_annotation(
        DictionaryObject(
            {
                NameObject("/Subtype"): NameObject("/FileAttachment"),
                NameObject("/FS"): TextStringObject("payload.bin"),
            }
        )
    )


def pdf_with_password() -> bytes:
    writer = _writer()
    writer.encrypt(user_password="secret", algorithm="RC4-128")
    return _written(writer)

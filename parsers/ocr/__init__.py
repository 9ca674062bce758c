"""OCR of scanned bulletins: page images to the same document model.

`pages` turns a PDF without a text layer, or a JPG/PNG/TIFF page, into page
images; `engine` recognises each into text boxes with confidences (RapidOCR,
PP-OCRv4 Chinese models shipped inside the wheel, onnxruntime on the CPU);
`rulings` finds a table's drawn lines in the image; `layout` turns boxes and
grids into paragraphs and tables, each cell and sentence with its confidence;
`reader` is the entry point the format readers call.
"""

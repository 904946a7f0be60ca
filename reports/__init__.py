"""The office's results: the funding dashboard, exports, PDFs and the annual report. It reads every app
below it; nothing reads it."""

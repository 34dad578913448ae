"""The editor's review flow: paste or upload a source, extract drafts, review, publish."""

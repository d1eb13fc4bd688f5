"""Machine transcription: a first draft of a recording's words, made on the archive's own machine."""

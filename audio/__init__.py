"""Media: voices, cue sounds, mixing and MP3 encoding. Knows timelines, not routines."""

"""The podcast feed of the library: RSS 2.0 with the iTunes and Podcasting 2.0 tags."""

from __future__ import annotations

import email.utils
import uuid
from pathlib import Path
from xml.etree import ElementTree as ET

from audio.shelf import Track
from builder.render import word_list
from builder.vocabulary import Vocabulary

ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"
PODCAST = "https://podcastindex.org/namespace/1.0"
ATOM = "http://www.w3.org/2005/Atom"
PODCAST_NAMESPACE = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")   # Podcast Index's
ET.register_namespace("itunes", ITUNES)
ET.register_namespace("podcast", PODCAST)
ET.register_namespace("atom", ATOM)


def feed_xml(tracks: list[Track], audio_dir: Path, vocabulary: Vocabulary, base_url: str) -> bytes:
    """The feed: one item per built routine, with its MP3 as the enclosure."""
    base = base_url.rstrip("/")
    rss = ET.Element("rss", {"version": "2.0"})
    channel = ET.SubElement(rss, "channel")
    _text(channel, "title", "Mat Coach")
    _text(channel, "link", f"{base}/")
    ET.SubElement(channel, f"{{{ATOM}}}link", {"href": f"{base}/feed.xml", "rel": "self",
                                                "type": "application/rss+xml"})
    _text(channel, "language", "en")
    _text(channel, "description", "Guided self-massage routines for the foam roller, spiky "
          "ball, soft chi ball and warm wheat bag, with exact timed cues.")
    _text(channel, f"{{{ITUNES}}}author", "Mat Coach")
    _text(channel, f"{{{ITUNES}}}explicit", "false")
    ET.SubElement(channel, f"{{{ITUNES}}}image", {"href": f"{base}/static/artwork.png"})
    ET.SubElement(channel, f"{{{ITUNES}}}category", {"text": "Health & Fitness"})
    # Podcast Index's guid: a UUIDv5 of the feed address without its scheme.
    feed_address = f"{base}/feed.xml".split("://", 1)[-1]
    _text(channel, f"{{{PODCAST}}}guid", str(uuid.uuid5(PODCAST_NAMESPACE, feed_address)))
    for track in tracks:
        item = _item(track, audio_dir, vocabulary, base)
        if item is not None:
            channel.append(item)
    return ET.tostring(rss, encoding="utf-8", xml_declaration=True)


def _item(track: Track, audio_dir: Path, vocabulary: Vocabulary, base: str) -> ET.Element | None:
    routine = track.routine
    try:
        mp3 = (audio_dir / track.audio).stat()
    except OSError:
        return None   # removed since the shelf last looked; the next reload drops it
    need = word_list(vocabulary.needs(routine.equipment), "and")
    item = ET.Element("item")
    _text(item, "title", routine.title)
    _text(item, "link", f"{base}/routines/{routine.id}")
    _text(item, "description", f"{routine.summary} You need: {need}. {routine.safety}")
    # One episode per routine, whatever its build: a rebuild is not a new episode, but its
    # enclosure address names the build, so apps fetch the new audio, and a download
    # resumed across a rebuild gets the rest of the same bytes, never another encoding's.
    _text(item, "guid", f"matcoach:{routine.id}").set("isPermaLink", "false")
    _text(item, "pubDate", email.utils.formatdate(mp3.st_mtime, usegmt=True))
    ET.SubElement(item, "enclosure", {"url": f"{base}/audio/{track.path}",
                                      "length": str(mp3.st_size), "type": "audio/mpeg"})
    seconds = round(track.duration_ms / 1000)
    _text(item, f"{{{ITUNES}}}duration",
          f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}")
    _text(item, f"{{{ITUNES}}}summary", routine.summary)
    _text(item, f"{{{ITUNES}}}explicit", "false")
    ET.SubElement(item, f"{{{PODCAST}}}transcript", {
        "url": f"{base}/routines/{routine.id}/transcript.vtt", "type": "text/vtt"})
    ET.SubElement(item, f"{{{PODCAST}}}chapters", {
        "url": f"{base}/routines/{routine.id}/chapters.json", "type": "application/json+chapters"})
    return item


def _text(parent: ET.Element, tag: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, tag)
    element.text = text
    return element

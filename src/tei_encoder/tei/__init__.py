"""TEI building: header, body, serialisation and the way back to text."""

"""Wire formats in: IPTC ninjs and NewsML-G2 converted to our article object, HTML to text, and which
format a message is in."""

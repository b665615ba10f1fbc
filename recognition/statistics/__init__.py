"""Yearly statistics of emulation and commendation per awarding body: awards by kind, level,
unit and nominee kind, women's share, trends, movements launched, and the yearly report's
tables as XLSX."""

"""Praja: an e-government suite for Indonesia's regional governments."""

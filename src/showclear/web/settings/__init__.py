"""Django settings for showclear: base, dev, test and production."""

"""Building blocks of the sales plan: exact rounding, the working-day calendar, seasonality."""

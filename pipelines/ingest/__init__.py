"""Reading survey-tool exports and mapping them onto the data contract's standard fields."""

"""Import of hotline referral spreadsheets."""

"""The evaluation services, by what they change: questionnaires, rounds and invitations,
answers, typical cases."""

"""The live mock interview: phases, interviewer, real-time coach, session state machine."""

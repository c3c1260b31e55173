// Compiled only so that its precompiled header exists for the tests that reuse it.
int main()
{
    return 0;
}

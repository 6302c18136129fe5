namespace Immortals.Orleans.Hosting;

/// <summary>Rejects immortal grain classes that would bypass the plugin.</summary>
internal static class ImmortalGrainClassCheck
{
    /// <summary>
    /// Throws when <paramref name="grainClass"/> implements <see cref="IIncomingGrainCallFilter.Invoke"/> itself. That
    /// method would replace the grain-level filter of <see cref="IImmortalGrain"/>, and the grain's methods would run
    /// as plain calls, without checkpoints or request ids.
    /// </summary>
    public static void ThrowIfOwnIncomingFilter(Type grainClass)
    {
        var map = grainClass.GetInterfaceMap(typeof(IIncomingGrainCallFilter));
        var implementation = map.TargetMethods[0];
        if (implementation.DeclaringType == typeof(IImmortalGrain))
        {
            return;
        }

        throw new InvalidOperationException(
            $"The immortal grain class {grainClass.FullName} implements {nameof(IIncomingGrainCallFilter)}.Invoke "
            + $"in {implementation.DeclaringType?.FullName}. That replaces the filter through which "
            + $"{nameof(IImmortalGrain)} checkpoints the grain's methods. Remove the method from the class and "
            + "register the filter for the whole silo with AddIncomingGrainCallFilter instead.");
    }
}
